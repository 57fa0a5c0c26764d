"""The report: Ardoise and Hocuspocus side by side with their ratio, and the targets Ardoise must
meet."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Result = dict[str, Any]

# Past this event-loop utilisation the load generator itself is saturated.
LOADGEN_SATURATED = 0.9


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    key: str  # dotted path into one server's result
    unit: str


ROWS = (
    Row("fan-out p50", "workload.fanoutMs.p50", "ms"),
    Row("fan-out p95", "workload.fanoutMs.p95", "ms"),
    Row("fan-out p99", "workload.fanoutMs.p99", "ms"),
    Row("fan-out max", "workload.fanoutMs.max", "ms"),
    Row("ack p50", "workload.ackMs.p50", "ms"),
    Row("ack p99", "workload.ackMs.p99", "ms"),
    Row("writes/s sent (asked)", "workload.achievedRate", "/s"),
    Row("deliveries (expected)", "workload.deliveries", ""),
    Row("lost deliveries", "workload.lost", ""),
    Row("server CPU per 1,000 deliveries", "workload.cpuMsPer1000Deliveries", "ms"),
    Row("server CPU share of one core", "workload.serverCpuShare", ""),
    Row("load generator CPU (window)", "workload.loadgenCpuSeconds", "s"),
    Row("load generator event loop (busiest worker)", "workload.loadgenEventLoopUtilization", ""),
    Row("sustained writes/s (p99 <= 100 ms)", "ramp.sustainedWritesPerSecond", "/s"),
    Row("memory: idle process", "memory.baselineMB", "MB"),
    Row("memory: per empty loaded board", "memory.perEmptyBoardKB", "KB"),
    Row("memory: per connection (workload)", "memory.perConnectionKB", "KB"),
    Row("memory: per idle connection", "memory.perIdleConnectionKB", "KB"),
    Row("memory: big board loaded", "memory.bigBoardMB", "MB"),
    Row("join big board, warm (median)", "join.bigBoardWarmMs", "ms"),
    Row("join big board, cold (loads it)", "join.bigBoardColdMs", "ms"),
    Row("all participants join at once", "join.allAtOnceSyncedMs", "ms"),
    Row("2 processes + Redis: fan-out p99", "redis.fanoutMs.p99", "ms"),
    Row("2 processes + Redis: ack p99", "redis.ackMs.p99", "ms"),
    Row("2 processes + Redis: CPU/1,000 del.", "redis.cpuMsPer1000Deliveries", "ms"),
)


def lookup(result: Result, key: str) -> Any:
    value: Any = result
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def ratio(a: Any, b: Any) -> float | None:
    if not isinstance(a, int | float) or not isinstance(b, int | float) or b == 0:
        return None
    if math.isnan(a) or math.isnan(b):
        return None
    return round(a / b, 2)


def ratios(servers: dict[str, Result]) -> dict[str, float | None]:
    if "ardoise" not in servers or "hocuspocus" not in servers:
        return {}
    return {
        row.key: ratio(lookup(servers["ardoise"], row.key), lookup(servers["hocuspocus"], row.key))
        for row in ROWS
    }


@dataclass(frozen=True, slots=True)
class Target:
    text: str
    check: Callable[[Result, Result | None], bool | None]


def _below(key: str, limit: float) -> Callable[[Result, Result | None], bool | None]:
    def check(ardoise: Result, _: Result | None) -> bool | None:
        value = lookup(ardoise, key)
        return None if value is None else bool(value < limit)

    return check


def _not_worse(keys: tuple[str, ...]) -> Callable[[Result, Result | None], bool | None]:
    def check(ardoise: Result, hocuspocus: Result | None) -> bool | None:
        if hocuspocus is None:
            return None
        pairs = [(lookup(ardoise, k), lookup(hocuspocus, k)) for k in keys]
        if any(a is None or h is None for a, h in pairs):
            return None
        return all(a <= h for a, h in pairs)

    return check


LATENCY_KEYS = (
    "workload.fanoutMs.p50",
    "workload.fanoutMs.p95",
    "workload.fanoutMs.p99",
    "workload.fanoutMs.max",
    "workload.ackMs.p50",
    "workload.ackMs.p99",
    "join.bigBoardWarmMs",
)

TARGETS = (
    Target("fan-out p99 under 50 ms", _below("workload.fanoutMs.p99", 50)),
    Target("ack p99 under 100 ms", _below("workload.ackMs.p99", 100)),
    Target("5,000-note board joined in under 500 ms", _below("join.bigBoardWarmMs", 500)),
    Target("under 1 MB per idle loaded board", _below("memory.perEmptyBoardKB", 1024)),
    Target("at least as fast as Hocuspocus on every latency figure", _not_worse(LATENCY_KEYS)),
    Target(
        "no more CPU per 1,000 deliveries than Hocuspocus",
        _not_worse(("workload.cpuMsPer1000Deliveries",)),
    ),
)


def targets(servers: dict[str, Result]) -> list[dict[str, Any]]:
    ardoise = servers.get("ardoise")
    if ardoise is None:
        return []
    hocuspocus = servers.get("hocuspocus")
    return [{"target": t.text, "met": t.check(ardoise, hocuspocus)} for t in TARGETS]


def _cell(value: Any, unit: str) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        if math.isnan(value):
            return "-"
        text = f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    else:
        text = f"{value:,}" if isinstance(value, int) else str(value)
    return f"{text} {unit}".rstrip()


def _workers(run: Result) -> str:
    """Each worker's event-loop use and CPU seconds in the window, and SATURATED when any is past
    LOADGEN_SATURATED (a worker waiting for a core counts as busy: compare with its CPU)."""
    workers = run.get("loadgenWorkers") or []
    uses = ", ".join(f"{w['eventLoopUtilization']:.2f}" for w in workers)
    cpu = ", ".join(f"{w['cpuSeconds']:.1f}" for w in workers)
    busy = run["loadgenEventLoopUtilization"] > LOADGEN_SATURATED
    return f" event loop per worker [{uses}], CPU s [{cpu}]" + (" SATURATED" if busy else "")


def worst_second(run: Result) -> str:
    """The second of the measured window with the highest fan-out p99, and what the load
    generator's event loop did while that second's late deliveries were in flight (a delivery
    is counted in the second it arrived, so a stall shows up to its own length later): a stalled
    worker (its delay near that p99) and a server that held deliveries back (the workers' delays
    small) look alike in the totals."""
    seconds = run.get("timeline") or []
    if not seconds:
        return ""
    at = max(range(len(seconds)), key=lambda i: seconds[i]["p99"])
    worst = seconds[at]
    in_flight_s = 1 + math.ceil(worst["max"] / 1000)
    delays = [
        row["loadgenLoopDelayMaxMs"]
        for row in seconds[max(0, at - in_flight_s) : at + 1]
        if row.get("loadgenLoopDelayMaxMs") is not None
    ]
    delay_text = f"{max(delays):,.0f} ms" if delays else "-"
    return (
        f"worst second +{worst['second']} s: fan-out p99 {_cell(worst['p99'], 'ms')}, "
        f"max {_cell(worst['max'], 'ms')}; load-generator event-loop delay up to {delay_text} "
        f"from {in_flight_s} s before it"
    )


def table(report: Result) -> str:
    servers: dict[str, Result] = report["servers"]
    kinds = list(servers)
    found = report.get("ratios", {})
    header = ["figure", *kinds, "ratio A/H" if len(kinds) == 2 else ""]
    rows = [header]
    notes = f"{report['config']['big_board_notes']:,}-note board"
    for row in ROWS:
        label = row.label.replace("big board", notes)
        cells = [label, *(_cell(lookup(servers[k], row.key), row.unit) for k in kinds)]
        value = found.get(row.key)
        cells.append("-" if value is None else f"{value:g}x")
        rows.append(cells)
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = []
    for i, cells in enumerate(rows):
        lines.append(
            "  ".join(
                c.ljust(w) if j == 0 else c.rjust(w)
                for j, (c, w) in enumerate(zip(cells, widths, strict=True))
            )
        )
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.append("")
    config = report["config"]
    client = config["ardoise_client"]
    lines.append(
        f"participants: {config['workers']} load-generator processes; received updates applied "
        f"every {config['apply_every_ms']:g} ms; Ardoise's speak Socket.IO through "
        + ("socket.io-client" if client == "socket.io-client" else "a lean client")
    )
    for kind in kinds:
        result = servers[kind]
        lines.append(f"{kind}: {result['server']}; ack = {result['ackMeaning']}")
        lines.append(f"  persistence: {result['persistence']}")
        lines.append(f"  fan-out: {result['fanout']}")
        lines.append(f"  throughput ramp: {result['ramp']['stoppedBy']}")
        for step in result["ramp"]["steps"]:
            lines.append(
                f"    {step['requestedRate']:g} writes/s: fan-out p99 "
                f"{_cell(step['fanoutMs']['p99'], 'ms')}; load generator{_workers(step)}"
            )
        workload = result["workload"]
        lines.append(f"  main workload: load generator{_workers(workload)}")
        if workload["loadgenEventLoopUtilization"] > LOADGEN_SATURATED:
            lines.append(
                "  main workload: a load-generator worker was saturated (event loop "
                f"{workload['loadgenEventLoopUtilization']:.2f}): its latencies are "
                "upper bounds, partly the load generator's own queueing"
            )
        worst = worst_second(workload)
        if worst:
            lines.append(f"  main workload: {worst}")
        redis = result["redis"]
        if redis.get("status") != "ok":
            lines.append(f"  2 processes + Redis: {redis.get('message')}")
    if report.get("targets"):
        lines.append("")
        lines.append("targets (Ardoise):")
        for item in report["targets"]:
            met = {True: "met", False: "NOT met", None: "not measured"}[item["met"]]
            lines.append(f"  [{met}] {item['target']}")
    machine = report["machine"]
    lines.append("")
    lines.append(
        f"{report['date']}  {machine['cpus']} cores ({machine['cpuModel']}), "
        f"load average before/after {machine['loadBefore']} / {machine['loadAfter']}"
    )
    return "\n".join(lines)
