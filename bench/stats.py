"""Percentiles of raw latency samples (the load generator writes them as float64 files)."""

from __future__ import annotations

import math
from array import array
from pathlib import Path
from typing import Any


def read_samples(path: Path) -> list[float]:
    samples = array("d")
    samples.frombytes(path.read_bytes())
    return sorted(samples)


def percentile(ordered: list[float], p: float) -> float:
    """Nearest-rank percentile of sorted samples: always one of the samples, and monotonic in p."""
    if not ordered:
        return math.nan
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def summarize(ordered: list[float], points: tuple[float, ...]) -> dict[str, float | None]:
    """Percentiles, max and count; None (null in JSON) where there is no sample at all."""
    out: dict[str, float | None] = {
        f"p{point:g}": round(percentile(ordered, point), 3) if ordered else None for point in points
    }
    out["max"] = round(ordered[-1], 3) if ordered else None
    out["count"] = len(ordered)
    return out


def timeline(
    fanout_by_second: list[dict[str, Any]], workers: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Each second of a run (by arrival): fan-out p50/p99/max, and the longest event-loop delay
    and garbage-collection pause of any load-generator worker in that second (measured window
    only), to tell whether a tail is the server's or a stalled worker's."""
    rows = []
    for row in fanout_by_second:
        second = int(row["second"])
        delays = _at_second(workers, "loopDelayMaxMs", second)
        pauses = _at_second(workers, "gcPauseMaxMs", second)
        rows.append(
            {
                "second": second,
                "deliveries": int(row["deliveries"]),
                # Rounded as `summarize` rounds: the worst second's max is the run's max.
                "p50": round(row["p50"], 3),
                "p99": round(row["p99"], 3),
                "max": round(row["max"], 3),
                "loadgenLoopDelayMaxMs": max(delays) if delays else None,
                "loadgenGcPauseMaxMs": max(pauses) if pauses else None,
            }
        )
    return rows


def _at_second(workers: list[dict[str, Any]], key: str, second: int) -> list[float]:
    return [w[key][second] for w in workers if 0 <= second < len(w.get(key) or [])]


def median(values: list[float]) -> float:
    return percentile(sorted(values), 50)
