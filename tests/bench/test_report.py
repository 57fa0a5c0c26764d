"""The report's worst-second line names the load generator's stall that made it, even when the
stall came seconds before the deliveries it delayed arrived."""

from __future__ import annotations

from typing import Any

from bench.report import worst_second


def _second(at: int, p99: float, top: float, delay: float) -> dict[str, Any]:
    return {"second": at, "p99": p99, "max": top, "loadgenLoopDelayMaxMs": delay}


def test_a_stall_two_seconds_before_the_worst_second_is_named() -> None:
    # A worker stands still 1.6 s in second 21; the deliveries it held arrive in second 23, with
    # latencies up to 1.8 s (the shape of a real run's stall).
    timeline = [_second(at, 30.0, 40.0, 40.0) for at in range(30)]
    timeline[21] = _second(21, 234.0, 315.0, 1631.6)
    timeline[23] = _second(23, 1734.0, 1825.0, 169.0)

    line = worst_second({"timeline": timeline})

    assert line.startswith("worst second +23 s: fan-out p99 1,734 ms")
    assert "event-loop delay up to 1,632 ms from 3 s before it" in line


def test_a_stall_older_than_the_latest_delivery_is_not_blamed() -> None:
    timeline = [_second(at, 30.0, 40.0, 40.0) for at in range(30)]
    timeline[5] = _second(5, 30.0, 40.0, 900.0)  # long before: nothing of it was still in flight
    timeline[20] = _second(20, 95.0, 120.0, 45.0)

    line = worst_second({"timeline": timeline})

    assert "worst second +20 s" in line
    assert "event-loop delay up to 45 ms from 2 s before it" in line
