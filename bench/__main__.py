"""`python -m bench`: the benchmark against Ardoise and Hocuspocus; prints a table, writes JSON."""

from __future__ import annotations

import argparse
import logging
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import config as bench_config
from bench import report
from bench.cli import run_or_exit_status, write_json
from bench.loadgen import LoadGenPool
from bench.node import ensure_packages
from bench.procstat import load_average
from bench.scenario import Scenario

log = logging.getLogger("bench")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Ardoise load benchmark, side by side with Hocuspocus (see bench/README.md).",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="10 participants, a few seconds (what `make test` runs)",
    )
    parser.add_argument("--json", type=Path, help="write the full report as JSON here")
    parser.add_argument("--participants", type=int, help="simulated participants (default 200)")
    parser.add_argument(
        "--interval",
        type=float,
        dest="write_interval_s",
        help="seconds between a participant's writes (2)",
    )
    parser.add_argument("--seconds", type=float, dest="measure_s", help="measured window (30)")
    parser.add_argument(
        "--ramp",
        type=lambda text: tuple(float(x) for x in text.split(",")),
        dest="ramp_rates",
        help="total writes/s of each ramp step, comma-separated",
    )
    parser.add_argument("--notes", type=int, dest="big_board_notes", help="big board size (5000)")
    parser.add_argument(
        "--servers",
        type=lambda text: tuple(text.split(",")),
        help="which servers: ardoise,hocuspocus (default both)",
    )
    parser.add_argument(
        "--deflate",
        action="store_const",
        const=True,
        help="participants offer permessage-deflate as browsers do (costly for the load generator)",
    )
    parser.add_argument(
        "--apply-every",
        type=float,
        dest="apply_every_ms",
        help="ms over which a participant gathers received updates into one transaction (16)",
    )
    parser.add_argument(
        "--ardoise-client",
        choices=bench_config.ARDOISE_CLIENTS,
        dest="ardoise_client",
        help="how Ardoise's participants speak Socket.IO: lean (default) or socket.io-client",
    )
    parser.add_argument(
        "--workers",
        type=int,
        help="load-generator processes sharing the participants (default 2)",
    )
    parser.add_argument(
        "--node-flag",
        action="append",
        dest="node_flags",
        default=[],
        help="extra flag for the load-generator processes, e.g. --node-flag=--cpu-prof",
    )
    parser.add_argument("--workdir", type=Path, help="keep databases and samples here")
    parser.add_argument("-v", "--verbose", action="store_true")
    return parser.parse_args(argv)


def machine() -> dict[str, Any]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "cpuModel": model,
        "memoryGB": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
    }


async def run(args: argparse.Namespace) -> dict[str, Any]:
    config = bench_config.build(
        args.quick,
        participants=args.participants,
        write_interval_s=args.write_interval_s,
        measure_s=args.measure_s,
        ramp_rates=args.ramp_rates,
        big_board_notes=args.big_board_notes,
        servers=args.servers,
        deflate=args.deflate,
        apply_every_ms=args.apply_every_ms,
        ardoise_client=args.ardoise_client,
        workers=args.workers,
    )
    unknown = set(config.servers) - set(bench_config.SERVER_KINDS)
    if unknown:
        raise SystemExit(f"unknown servers: {', '.join(sorted(unknown))}")
    packages = ensure_packages()
    load_before = load_average()
    started = time.monotonic()
    servers: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="ardoise-bench-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        for kind in config.servers:
            # A fresh load generator per server: nothing of one run's heap weighs on the other.
            loadgen = LoadGenPool(packages, config.workers, tuple(args.node_flags))
            await loadgen.start()
            try:
                clock = await loadgen.clock_check()
                servers[kind] = await Scenario(config, packages, loadgen, workdir).measure(kind)
                servers[kind]["loadgenClock"] = clock
            finally:
                await loadgen.stop()
    result: dict[str, Any] = {
        "benchmark": "ardoise-bench 1",
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "mode": "quick" if args.quick else "full",
        "durationSeconds": round(time.monotonic() - started, 1),
        "machine": {
            **machine(),
            "node": packages.node_version(),
            "loadBefore": [round(x, 2) for x in load_before],
            "loadAfter": [round(x, 2) for x in load_average()],
        },
        "config": {
            key: getattr(config, key)
            for key in config.__dataclass_fields__
            if not key.startswith("_")
        }
        | {"rate": config.rate},
        "servers": servers,
    }
    result["ratios"] = report.ratios(servers)
    result["targets"] = report.targets(servers)
    return result


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose or not args.quick else logging.WARNING,
        format="%(asctime)s %(message)s",
        stream=sys.stderr,
    )
    # One line per board created is noise next to the phases.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    result = run_or_exit_status("bench", run(args))
    if isinstance(result, int):
        return result
    print(report.table(result))
    if args.json:
        write_json(args.json, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
