"""The benchmark harness keeps working: `python -m bench --quick` runs against Ardoise and
Hocuspocus and produces every figure, sane and complete, with the participants in one load-generator
process and split between two (`--workers 2`: writes sent by one process, received by the other,
must be counted and timed like the rest). Ardoise's participants speak Socket.IO through
socket.io-client in the first run and through the benchmark's own lean client in the second, so
both keep working.

Sane, not fast: no assertion here depends on how quick the machine is (figures are compared only
with each other: percentiles in order, deliveries against writes). Node.js and the npm registry
are required (the benchmark installs Hocuspocus itself); without them this fails, it never skips.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from server.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SERVERS = ("ardoise", "hocuspocus")
RUN_LIMIT_S = 600


@pytest.fixture(
    scope="module",
    params=[(1, "socket.io-client"), (2, "lean")],
    ids=["1-worker-socket.io-client", "2-workers-lean"],
)
def report(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> dict[str, Any]:
    workers, ardoise_client = request.param
    out = tmp_path_factory.mktemp("bench") / "quick.json"
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench",
                "--quick",
                "--workers",
                str(workers),
                "--ardoise-client",
                ardoise_client,
                "--json",
                str(out),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=RUN_LIMIT_S,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"python -m bench --quick took over {RUN_LIMIT_S} s:\n{exc.stderr!r}")
    if done.returncode == 2:
        pytest.fail(
            "the benchmark needs Node.js >= 20, npm and the npm registry (it installs Hocuspocus "
            f"into bench/.cache):\n{done.stderr}"
        )
    if done.returncode != 0:
        pytest.fail(f"python -m bench --quick failed ({done.returncode}):\n{done.stderr[-8000:]}")
    for kind in SERVERS:
        assert kind in done.stdout, f"no {kind} column in the table:\n{done.stdout}"
    result: dict[str, Any] = json.loads(out.read_text())
    result["stdout"] = done.stdout
    assert result["config"]["workers"] == workers
    assert result["config"]["ardoise_client"] == ardoise_client
    return result


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def assert_positive(value: Any, what: str) -> None:
    assert is_number(value) and value > 0, f"{what} = {value!r}"


def assert_latencies(summary: dict[str, Any], points: tuple[str, ...], what: str) -> None:
    values = [summary[p] for p in (*points, "max")]
    for point, value in zip((*points, "max"), values, strict=True):
        assert_positive(value, f"{what} {point}")
    assert values == sorted(values), f"{what} percentiles out of order: {summary}"


def assert_complete_run(run: dict[str, Any], what: str) -> None:
    """Every measured write acknowledged and delivered once to every other participant."""
    participants = run["participants"]
    assert participants >= 2, what
    assert run["writes"] > 0, what
    assert run["acked"] == run["writes"] and run["failedWrites"] == 0, f"{what}: {run}"
    assert run["expectedDeliveries"] == run["writes"] * (participants - 1), f"{what}: {run}"
    assert run["deliveries"] == run["expectedDeliveries"], f"{what}: {run}"
    assert run["lost"] == 0 and run["duplicates"] == 0, f"{what}: {run}"
    assert run["fanoutMs"]["count"] == run["deliveries"], f"{what}: {run}"
    assert run["ackMs"]["count"] == run["writes"], f"{what}: {run}"
    assert_latencies(run["fanoutMs"], ("p50", "p95", "p99"), f"{what} fan-out")
    assert_latencies(run["ackMs"], ("p50", "p95", "p99"), f"{what} ack")
    for key in ("achievedRate", "serverCpuSeconds", "cpuMsPer1000Deliveries", "loadgenCpuSeconds"):
        assert_positive(run[key], f"{what} {key}")
    assert 0 <= run["loadgenEventLoopUtilization"] <= 1, f"{what}: {run}"
    # One entry per load-generator worker, the participants shared out between them.
    workers = run["loadgenWorkers"]
    assert sum(w["participants"] for w in workers) == participants, f"{what}: {workers}"
    for worker in workers:
        assert 0 <= worker["eventLoopUtilization"] <= run["loadgenEventLoopUtilization"], workers
    assert run["loadgenSaturated"] is (run["loadgenEventLoopUtilization"] > 0.9), f"{what}: {run}"
    assert_timeline(run, what)


def assert_timeline(run: dict[str, Any], what: str) -> None:
    """Second by second, every delivery once, and the workers' event-loop delays beside them."""
    seconds = run["timeline"]
    assert seconds, f"{what}: no timeline"
    numbers = [row["second"] for row in seconds]
    assert numbers == sorted(set(numbers)) and numbers[0] >= 0, f"{what}: {numbers}"
    assert sum(row["deliveries"] for row in seconds) == run["deliveries"], f"{what}: {seconds}"
    for row in seconds:
        assert 0 < row["p50"] <= row["p99"] <= row["max"] <= run["fanoutMs"]["max"], row
    assert max(row["max"] for row in seconds) == run["fanoutMs"]["max"], f"{what}: {seconds}"
    within = [row for row in seconds if row["loadgenLoopDelayMaxMs"] is not None]
    assert within, f"{what}: no load-generator event-loop delay in any second"
    for row in within:
        assert_positive(row["loadgenLoopDelayMaxMs"], f"{what} loop delay at {row['second']} s")
        assert is_number(row["loadgenGcPauseMaxMs"]) and row["loadgenGcPauseMaxMs"] >= 0, row


@pytest.mark.parametrize("kind", SERVERS)
def test_workload_figures_are_complete_and_ordered(report: dict[str, Any], kind: str) -> None:
    assert_complete_run(report["servers"][kind]["workload"], f"{kind} workload")


@pytest.mark.parametrize("kind", SERVERS)
def test_ramp_reports_each_step_and_a_sustained_rate(report: dict[str, Any], kind: str) -> None:
    ramp = report["servers"][kind]["ramp"]
    assert ramp["steps"], ramp
    # Whether a step passes depends on the machine, so only its shape is checked.
    assert is_number(ramp["sustainedWritesPerSecond"]) and ramp["sustainedWritesPerSecond"] >= 0
    assert ramp["stoppedBy"]
    for step in ramp["steps"]:
        assert_latencies(step["fanoutMs"], ("p50", "p95", "p99"), f"{kind} ramp fan-out")
        assert_positive(step["achievedRate"], f"{kind} ramp rate")


@pytest.mark.parametrize("kind", SERVERS)
def test_memory_and_join_figures_are_present(report: dict[str, Any], kind: str) -> None:
    result = report["servers"][kind]
    memory, join = result["memory"], result["join"]
    assert_positive(memory["baselineMB"], f"{kind} baselineMB")
    # Differences of two RSS readings: a small one may come out slightly negative (allocator
    # noise), so these are only required to be real numbers.
    for key in ("perEmptyBoardKB", "perIdleConnectionKB", "perConnectionKB", "bigBoardMB"):
        assert is_number(memory[key]), f"{kind} {key} = {memory[key]!r}"
    for key in ("bigBoardColdMs", "bigBoardWarmMs", "bigBoardWarmMaxMs", "allAtOnceSyncedMs"):
        assert_positive(join[key], f"{kind} {key}")
    assert join["bigBoardWarmMs"] <= join["bigBoardWarmMaxMs"]
    assert join["bigBoardNotes"] == report["config"]["big_board_notes"]


@pytest.mark.parametrize("kind", SERVERS)
def test_two_processes_with_redis_report_figures_or_say_why_not(
    report: dict[str, Any], kind: str
) -> None:
    redis = report["servers"][kind]["redis"]
    assert redis["status"] in {"ok", "not_supported", "unavailable"}, redis
    if redis["status"] == "ok":
        assert_complete_run(redis, f"{kind} two processes")
    else:
        assert redis["message"], redis


@pytest.mark.parametrize("kind", SERVERS)
def test_workers_share_one_clock_with_the_driver(report: dict[str, Any], kind: str) -> None:
    """Each worker's clock read falls between the driver's two reads around the round trip: the
    same clock (CLOCK_MONOTONIC), not merely a close one."""
    clock = report["servers"][kind]["loadgenClock"]["workers"]
    assert len(clock) == report["config"]["workers"], clock
    for worker in clock:
        assert abs(worker["monotonicOffsetMs"]) <= worker["roundTripMs"] / 2 + 0.01, clock
        assert 0 < worker["resolutionMs"] < 0.01, clock
    assert len(report["servers"][kind]["workload"]["loadgenWorkers"]) == len(clock)


def test_every_figure_has_its_ratio(report: dict[str, Any]) -> None:
    ratios = report["ratios"]
    for key in ("workload.fanoutMs.p99", "workload.ackMs.p99", "workload.cpuMsPer1000Deliveries"):
        assert_positive(ratios[key], f"ratio {key}")
    assert {t["target"] for t in report["targets"]}, report["targets"]
    assert "ratio A/H" in report["stdout"]


def test_table_says_how_the_participants_were_simulated(report: dict[str, Any]) -> None:
    config = report["config"]
    line = next(
        (row for row in report["stdout"].splitlines() if row.startswith("participants:")), ""
    )
    assert f"{config['workers']} load-generator processes" in line, line
    assert f"applied every {config['apply_every_ms']:g} ms" in line, line
    client = "socket.io-client" if config["ardoise_client"] == "socket.io-client" else "lean client"
    assert line.endswith(client), line


def test_table_says_how_each_server_sends_updates_on(report: dict[str, Any]) -> None:
    """Fan-out latencies are read beside how each server sends updates (Ardoise's merge window)."""
    for kind in SERVERS:
        fanout = report["servers"][kind]["fanout"]
        assert fanout and f"  fan-out: {fanout}" in report["stdout"], kind
    settings = Settings.from_env(os.environ)
    ardoise = report["servers"]["ardoise"]["fanout"]
    if settings.merge_window_s:
        assert f"merged over {settings.merge_window_s * 1000:g} ms" in ardoise, ardoise
        assert f"{settings.merge_from_deliveries_per_s:,} deliveries/s" in ardoise, ardoise
    else:
        assert "merge window off" in ardoise, ardoise
