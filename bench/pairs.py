"""Alternated runs: one workload against variants of a server, round after round.

Why: the shared machine's own load moves a single run by more than most changes are worth
(BENCHMARKS.md, Machine), so a change is only called a gain when it shows in runs
alternated with the code or setting without it. A variant is a server kind and the environment
its process starts with (`w0=ardoise:ARDOISE_MERGE_WINDOW_MS=0`); each round runs every variant
once, in the order given, on a fresh server and board, with the same load-generator workers.
A variant may also run the server of another clone (`before=ardoise@../ardoise-before`), so
that a code change is alternated with the code before it.

    python -m bench.pairs w4=ardoise w0=ardoise:ARDOISE_MERGE_WINDOW_MS=0 --rounds 3
    python -m bench.pairs after=ardoise before=ardoise@../ardoise-before h=hocuspocus

With `--joins N` each run is N bursts of every participant joining the board at once instead of
the workload (the report's "all participants join at once", with the server's CPU per join):
one burst per server, as the full run makes, is too few to tell a small change.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bench.cli import run_or_exit_status, write_json
from bench.config import SERVER_KINDS, Config
from bench.loadgen import LoadGenError, LoadGenPool
from bench.node import ensure_packages
from bench.procstat import cpu_seconds, load_average, settle
from bench.scenario import Scenario
from bench.servers import ServerError
from bench.stats import median

log = logging.getLogger("bench")

# What each run reports, in the summary's order: (label, key in a run's row).
FIGURES = (
    ("server CPU per 1,000 deliveries, ms", "cpuMsPer1000"),
    ("fan-out p50, ms", "fanoutP50"),
    ("fan-out p99, ms", "fanoutP99"),
    ("median second's fan-out p99, ms", "medianSecondP99"),
    ("ack p50, ms", "ackP50"),
    ("ack p99, ms", "ackP99"),
    ("busiest load-generator worker", "loadgenBusiest"),
)
JOIN_FIGURES = (
    ("all joined at once (median burst), ms", "joinAllMs"),
    ("server CPU per join (median burst), ms", "joinCpuMs"),
)


@dataclass(frozen=True, slots=True)
class Variant:
    name: str
    kind: str
    env: dict[str, str] = field(default_factory=dict)
    checkout: Path | None = None  # another clone of Ardoise whose server runs


def parse_variant(spec: str) -> Variant:
    """`NAME=KIND[@CHECKOUT][:VAR=VALUE,...]`, e.g. `w0=ardoise:ARDOISE_MERGE_WINDOW_MS=0`."""
    name, equals, rest = spec.partition("=")
    server, _, assignments = rest.partition(":")
    kind, at, place = server.partition("@")
    if not equals or not name or kind not in SERVER_KINDS or (at and kind != "ardoise"):
        raise ValueError(
            f"variant {spec!r}: expected NAME=KIND[@CHECKOUT][:VAR=VALUE,...] with KIND one of "
            f"{', '.join(SERVER_KINDS)} (a CHECKOUT only for ardoise)"
        )
    checkout = Path(place).resolve() if at else None
    if checkout is not None and not (checkout / "server" / "__main__.py").is_file():
        raise ValueError(f"variant {spec!r}: {checkout} is not a clone of Ardoise")
    env: dict[str, str] = {}
    for assignment in filter(None, assignments.split(",")):
        variable, has_value, value = assignment.partition("=")
        if not has_value or not variable:
            raise ValueError(f"variant {spec!r}: {assignment!r} is not VAR=VALUE")
        env[variable] = value
    return Variant(name, kind, env, checkout)


def run_row(variant: Variant, round_index: int, fanout: str, run: dict[str, Any]) -> dict[str, Any]:
    """One run's figures, flat: what the summary and the JSON report carry."""
    seconds = [second["p99"] for second in run["timeline"]]
    return {
        "variant": variant.name,
        "round": round_index,
        "fanout": fanout,
        "cpuMsPer1000": run["cpuMsPer1000Deliveries"],
        "fanoutP50": run["fanoutMs"]["p50"],
        "fanoutP99": run["fanoutMs"]["p99"],
        "medianSecondP99": round(median(seconds), 3) if seconds else None,
        "ackP50": run["ackMs"]["p50"],
        "ackP99": run["ackMs"]["p99"],
        "loadgenBusiest": run["loadgenEventLoopUtilization"],
        "lost": run["lost"],
        "failedWrites": run["failedWrites"],
        "loadAverage1m": run["loadAverage1m"],
    }


async def alternate(
    variants: list[Variant], rounds: int, config: Config, joins: int = 0
) -> list[dict[str, Any]]:
    """Every variant once per round, in order; one row per run (`joins` > 0: join bursts)."""
    with tempfile.TemporaryDirectory(prefix="ardoise-pairs-") as workdir:
        return await _alternate(variants, rounds, config, Path(workdir), joins)


async def join_bursts(
    loadgen: LoadGenPool, pids: list[int], target: dict[str, Any], participants: int, bursts: int
) -> dict[str, Any]:
    """`bursts` times, every participant joins at once, then all leave. A first burst, not
    counted, warms the server up (its first board load, Python's caches)."""
    synced: list[float] = []
    cpu_per_join: list[float] = []
    for burst in range(bursts + 1):
        await settle(pids)
        before = sum(cpu_seconds(pid) for pid in pids)
        joined = await loadgen.connect("joins", participants, target=target)
        await settle(pids)
        spent = sum(cpu_seconds(pid) for pid in pids) - before
        await loadgen.close("joins")
        if burst:
            synced.append(joined["allSyncedMs"])
            cpu_per_join.append(1000 * spent / participants)
    return {
        "joinAllMs": round(median(synced), 1),
        "joinCpuMs": round(median(cpu_per_join), 3),
        "bursts": [round(ms, 1) for ms in synced],
    }


async def _alternate(
    variants: list[Variant], rounds: int, config: Config, workdir: Path, joins: int
) -> list[dict[str, Any]]:
    packages = ensure_packages()
    loadgen = LoadGenPool(packages, config.workers)
    await loadgen.start()
    rows = []
    try:
        await loadgen.clock_check()
        scenario = Scenario(config, packages, loadgen, workdir)
        for round_index in range(rounds):
            for variant in variants:
                log.info("round %d: %s", round_index + 1, variant.name)
                server = scenario.make_server(
                    variant.kind,
                    f"{variant.name}-{round_index}",
                    env=variant.env,
                    checkout=variant.checkout,
                )
                await server.start()
                try:
                    board = await server.new_board("pairs")
                    target = server.target(board, board.participant)
                    if joins:
                        row = {"variant": variant.name, "round": round_index}
                        row |= await join_bursts(
                            loadgen, server.pids, target, config.participants, joins
                        )
                        row["loadAverage1m"] = round(load_average()[0], 2)
                    else:
                        await loadgen.connect("pairs", config.participants, target=target)
                        run = await scenario.run(
                            server.pids, "pairs", config.rate, config.warmup_s, config.measure_s
                        )
                        await loadgen.close("pairs")
                        row = run_row(variant, round_index, server.fanout, run)
                except LoadGenError as exc:
                    raise ServerError(f"{variant.name}: {exc}\n{server.log()[-4000:]}") from exc
                finally:
                    await server.stop()
                print(json.dumps(row), flush=True)
                rows.append(row)
    finally:
        await loadgen.stop()
    return rows


def round_ratios(rows: list[dict[str, Any]], name: str, base: str, key: str) -> list[float]:
    """`name`'s figure over `base`'s, round by round: the machine's load drifts between rounds
    (BENCHMARKS.md), much less between two runs of the same round."""
    reference = {row["round"]: row[key] for row in rows if row["variant"] == base}
    return [
        round(row[key] / reference[row["round"]], 2)
        for row in rows
        if row["variant"] == name and row[key] is not None and reference.get(row["round"])
    ]


def summary(
    variants: list[Variant], rows: list[dict[str, Any]], figures: tuple[tuple[str, str], ...]
) -> str:
    """Per variant and figure: the runs' values in round order, their median, and after the first
    variant their ratios to it, round by round."""
    lines = []
    width = max(len(label) for label, _ in figures)
    base = variants[0].name
    for variant in variants:
        mine = [row for row in rows if row["variant"] == variant.name]
        env = " ".join(f"{k}={v}" for k, v in variant.env.items()) or "(defaults)"
        fanout = mine[0].get("fanout") if mine else None  # workload runs only
        where = f"@{variant.checkout}" if variant.checkout else ""
        described = f"{variant.name}: {variant.kind}{where} {env}"
        lines.append(described + (f"; {fanout}" if fanout else ""))
        for label, key in figures:
            values = [row[key] for row in mine if row[key] is not None]
            listed = " / ".join(f"{value:g}" for value in values)
            middle = f"median {median(values):g}" if values else "none"
            ratios = round_ratios(rows, variant.name, base, key) if variant.name != base else []
            if ratios:
                middle += f"; x {base}: " + " / ".join(f"{ratio:g}" for ratio in ratios)
            lines.append(f"  {label.ljust(width)}  {listed}  ({middle})")
        if mine and "lost" in mine[0]:  # workload runs only
            lost = sum(row["lost"] + row["failedWrites"] for row in mine)
            lines.append(f"  {'lost deliveries + failed writes'.ljust(width)}  {lost}")
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.pairs",
        description="Alternated runs of one workload against server variants (bench/README.md).",
    )
    parser.add_argument("variants", nargs="+", help="NAME=KIND[:VAR=VALUE,...], two or more")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each variant (3)")
    parser.add_argument("--participants", type=int, default=200, help="participants (200)")
    parser.add_argument("--rate", type=float, default=100.0, help="total writes/s (100)")
    parser.add_argument("--seconds", type=float, default=20.0, help="measured window (20)")
    parser.add_argument("--warmup", type=float, default=3.0, help="warm-up before it (3)")
    parser.add_argument("--workers", type=int, default=2, help="load-generator processes (2)")
    parser.add_argument(
        "--apply-every",
        type=float,
        default=Config().apply_every_ms,
        dest="apply_every_ms",
        help=f"ms over which a participant gathers received updates ({Config().apply_every_ms:g})",
    )
    parser.add_argument(
        "--joins",
        type=int,
        default=0,
        metavar="BURSTS",
        help="instead of the workload: bursts of every participant joining at once, per run",
    )
    parser.add_argument("--json", type=Path, help="write the runs and the machine's load here")
    args = parser.parse_args(argv)
    try:
        args.variants = [parse_variant(spec) for spec in args.variants]
    except ValueError as exc:
        parser.error(str(exc))
    names = [variant.name for variant in args.variants]
    if len(set(names)) != len(names) or len(names) < 2:
        parser.error("give two or more variants, each its own name")
    if args.rounds < 1 or args.participants < 2 or args.rate <= 0 or args.seconds <= 0:
        parser.error("rounds >= 1, participants >= 2, rate and seconds > 0")
    if args.joins < 0:
        parser.error("--joins takes a number of bursts, 1 or more")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    config = replace(
        Config(),
        participants=args.participants,
        write_interval_s=args.participants / args.rate,
        warmup_s=args.warmup,
        measure_s=args.seconds,
        workers=args.workers,
        apply_every_ms=args.apply_every_ms,
    )
    load_before = load_average()
    rows = run_or_exit_status(
        "bench.pairs", alternate(args.variants, args.rounds, config, args.joins)
    )
    if isinstance(rows, int):
        return rows
    print(summary(args.variants, rows, JOIN_FIGURES if args.joins else FIGURES))
    if args.json:
        report = {
            "benchmark": "ardoise-bench pairs 1",
            "date": time.strftime("%Y-%m-%d %H:%M %Z"),
            "joinBursts": args.joins,
            "participants": config.participants,
            "rate": config.rate,
            "seconds": config.measure_s,
            "applyEveryMs": config.apply_every_ms,
            "loadBefore": [round(x, 2) for x in load_before],
            "loadAfter": [round(x, 2) for x in load_average()],
            "runs": rows,
        }
        write_json(args.json, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
