"""Drives the Node load generator (bench/js/loadgen.mjs): one or more worker processes, each
holding every K-th participant; one JSON command per line, one reply each.

Progress events (`measure-start`, `measure-end`) of worker 0 are handed to a callback the moment
they arrive, so the driver reads the server's CPU time at the edges of the measured window. The
workers time writes and arrivals on CLOCK_MONOTONIC, which is also Python's `time.monotonic()`:
the driver gives the start of a run on that clock, and checks at start-up (`clock_check`) that
every worker reads the same clock as itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.node import NodePackages

# Generous: 200 participants each holding two Y.Docs with a few thousand notes fit easily, but
# Node's default old-space limit (about 2-4 GB) is close to that.
_HEAP_MB = 8192
# Each worker's participants make garbage at the workshop's delivery rate; with Node's default
# young generation (16 MB semi-spaces) much of it is promoted, and old-space collections then
# stand a worker still long enough to make the long fan-out tails of both servers. 64 MB removes
# most of them (BENCHMARKS.md, Method; docs/findings.md, Yjs, socket.io-client and Node).
_SEMI_SPACE_MB = 64
# One reply line can carry hundreds of join times; the default 64 KiB stream limit is too small.
_LINE_LIMIT = 16 * 1024 * 1024


class LoadGenError(RuntimeError):
    """The load generator failed a command (its error text is included)."""


class LoadGen:
    def __init__(
        self, packages: NodePackages, node_flags: tuple[str, ...] = (), worker: int = 0
    ) -> None:
        self._packages = packages
        self.worker = worker
        # e.g. ("--cpu-prof",) to profile the load generator itself.
        self._node_flags = node_flags
        self._proc: asyncio.subprocess.Process | None = None
        self._replies: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._next_id = 0
        self._stderr: deque[str] = deque(maxlen=100)
        self._tasks: list[asyncio.Task[None]] = []
        self.on_event: Callable[[dict[str, Any]], None] = lambda event: None

    @property
    def pid(self) -> int:
        if self._proc is None:
            raise LoadGenError("the load generator is not running")
        return self._proc.pid

    async def start(self) -> None:
        self._proc = await asyncio.create_subprocess_exec(
            self._packages.node,
            f"--max-old-space-size={_HEAP_MB}",
            f"--max-semi-space-size={_SEMI_SPACE_MB}",
            *self._node_flags,
            str(self._packages.script("loadgen.mjs")),
            cwd=self._packages.folder,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            limit=_LINE_LIMIT,
            env={**os.environ, "LOADGEN_WORKER": str(self.worker)},
        )
        self._tasks = [
            asyncio.create_task(self._read_stdout()),
            asyncio.create_task(self._read_stderr()),
        ]

    async def _read_stdout(self) -> None:
        assert self._proc is not None and self._proc.stdout is not None
        async for raw in self._proc.stdout:
            message = json.loads(raw)
            if "event" in message:
                self.on_event(message)
                continue
            future = self._replies.pop(message["id"], None)
            if future is not None and not future.done():
                future.set_result(message)
        for future in self._replies.values():
            if not future.done():
                future.set_exception(LoadGenError(f"load generator exited:\n{self.stderr()}"))

    async def _read_stderr(self) -> None:
        assert self._proc is not None and self._proc.stderr is not None
        async for raw in self._proc.stderr:
            self._stderr.append(raw.decode(errors="replace").rstrip())

    def stderr(self) -> str:
        return "\n".join(self._stderr)

    async def call(self, op: str, reply_within_s: float = 600.0, **args: Any) -> dict[str, Any]:
        if self._proc is None or self._proc.stdin is None:
            raise LoadGenError("the load generator is not running")
        self._next_id += 1
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._replies[self._next_id] = future
        line = json.dumps({"id": self._next_id, "op": op, **args}) + "\n"
        self._proc.stdin.write(line.encode())
        await self._proc.stdin.drain()
        reply = await asyncio.wait_for(future, reply_within_s)
        if not reply.get("ok"):
            raise LoadGenError(f"{op} failed: {reply.get('error')}")
        return reply

    async def stop(self) -> None:
        proc = self._proc
        if proc is None:
            return
        if proc.returncode is None and proc.stdin is not None:
            with contextlib.suppress(ConnectionError):
                proc.stdin.write(b'{"op": "exit"}\n')
                await proc.stdin.drain()
            try:
                await asyncio.wait_for(proc.wait(), 10)
            except TimeoutError:
                proc.kill()
                await proc.wait()
        for task in self._tasks:
            task.cancel()
        self._proc = None


# The driver gives each run a start this far ahead, so every worker has the command in time.
_START_LEAD_MS = 300.0
# Round trips per worker when comparing its clock with the driver's.
_CLOCK_PINGS = 30


class LoadGenPool:
    """K load-generator workers seen as one: participant g of a group lives in worker g % K.

    Operations on a group go to every worker; a run's samples are merged by worker 0 from every
    worker's files (writes and arrivals, on the shared clock).
    """

    def __init__(
        self, packages: NodePackages, workers: int = 1, node_flags: tuple[str, ...] = ()
    ) -> None:
        if workers < 1:
            raise ValueError("at least one load-generator worker")
        self.workers = [LoadGen(packages, node_flags, worker=w) for w in range(workers)]
        self._sizes: dict[str, int] = {}
        self.on_event: Callable[[dict[str, Any]], None] = lambda event: None

    @property
    def pids(self) -> list[int]:
        return [worker.pid for worker in self.workers]

    async def start(self) -> None:
        await asyncio.gather(*(worker.start() for worker in self.workers))
        self.workers[0].on_event = lambda event: self.on_event(event)

    async def stop(self) -> None:
        await asyncio.gather(*(worker.stop() for worker in self.workers))

    def stderr(self) -> str:
        return "\n".join(w.stderr() for w in self.workers)

    async def _all(
        self, op: str, reply_within_s: float = 600.0, **args: Any
    ) -> list[dict[str, Any]]:
        return list(
            await asyncio.gather(
                *(worker.call(op, reply_within_s, **args) for worker in self.workers)
            )
        )

    async def connect(
        self,
        group: str,
        count: int,
        target: dict[str, Any] | None = None,
        targets: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """`count` more participants at once, spread over the workers (and over `targets`)."""
        base = self._sizes.get(group, 0)
        self._sizes[group] = base + count
        replies = await self._all(
            "connect",
            group=group,
            target=target,
            targets=targets,
            count=count,
            base=base,
            workers=len(self.workers),
        )
        return {
            "participants": sum(r["participants"] for r in replies),
            "allSyncedMs": max(r["allSyncedMs"] for r in replies),
            "joinMs": [ms for r in replies for ms in r["joinMs"]],
        }

    async def close(self, group: str) -> None:
        self._sizes.pop(group, None)
        await self._all("close", group=group)

    async def build(self, **args: Any) -> dict[str, Any]:
        return await self.workers[0].call("build", **args)

    async def join(self, group: str, **args: Any) -> dict[str, Any]:
        """Participants joining one after another: all in worker 0 (one at a time anyway)."""
        base = self._sizes.get(group, 0)
        if args.get("stay"):
            self._sizes[group] = base + args["count"]
        return await self.workers[0].call("join", group=group, base=base, **args)

    async def probe(self, group: str, wait: float) -> dict[str, Any]:
        """Participant 0 writes once: how many of the others got it, by server?"""
        total = self._sizes[group]
        written = [r for r in await self._all("probe", group=group, total=total) if r["client"]]
        if len(written) != 1:
            raise LoadGenError(f"probe: participant 0 of {group} not found once: {written}")
        write = written[0]
        replies = await self._all(
            "probe-wait", group=group, client=write["client"], clock=write["clock"], wait=wait
        )
        by_server: dict[str, int] = {}
        for reply in replies:
            for server, count in reply["byServer"].items():
                by_server[server] = by_server.get(server, 0) + count
        return {
            "expected": sum(r["expected"] for r in replies),
            "received": sum(r["received"] for r in replies),
            "acked": all(r["acked"] for r in replies),
            "byServer": by_server,
            "writerServer": write["server"],
        }

    async def run(
        self, group: str, rate: float, warmup: float, seconds: float, drain: float, samples: Path
    ) -> dict[str, Any]:
        """One open-loop run over every worker; fan-out samples in `samples`.fanout, acks in
        `samples`.ack (both float64 ms), plus the run's figures over every worker (acks,
        failures, rates, each worker's event loop and CPU)."""
        total = self._sizes[group]
        start = time.monotonic() * 1000 + _START_LEAD_MS
        runs = await self._all(
            "run", group=group, total=total, rate=rate, start=start, warmup=warmup, seconds=seconds
        )
        clocks = [pair for r in runs for pair in r["clocks"]]
        paths = [Path(f"{samples}.w{w}") for w in range(len(self.workers))]
        drains = await asyncio.gather(
            *(
                worker.call("drain", clocks=clocks, drain=drain, samples=str(path))
                for worker, path in zip(self.workers, paths, strict=True)
            )
        )
        window_start = start + warmup * 1000
        merged = await self.workers[0].call(
            "merge",
            sends=[f"{path}.sends" for path in paths],
            receives=[f"{path}.receives" for path in paths],
            window=[window_start, window_start + seconds * 1000],
            samples=str(samples),
        )
        _join_acks(paths, samples)
        measured_ms = max(r["measuredMs"] for r in runs)
        failures = sorted({f for d in drains for f in d["failures"]})[:5]
        per_worker = [
            {
                "eventLoopUtilization": round(r["loadgen"]["eventLoopUtilization"], 3),
                "cpuSeconds": round(r["loadgen"]["cpuSeconds"], 3),
                "participants": r["participants"],
                "loopDelayMaxMs": r["loadgen"]["loopDelayMaxMs"],
                "gcPauseMaxMs": r["loadgen"]["gcPauseMaxMs"],
            }
            for r in runs
        ]
        return {
            **merged,
            "acked": sum(d["acked"] for d in drains),
            "failed": sum(d["failed"] for d in drains),
            "failures": failures,
            "requestedRate": rate,
            "achievedRate": sum(r["written"] for r in runs) * 1000 / measured_ms,
            "measuredMs": measured_ms,
            "drainMs": max(d["drainMs"] for d in drains),
            "participants": sum(r["participants"] for r in runs),
            "loadgen": {
                "eventLoopUtilization": max(w["eventLoopUtilization"] for w in per_worker),
                "workers": per_worker,
            },
        }

    async def clock_check(self) -> dict[str, Any]:
        """Each worker's shared clock against the driver's time.monotonic(), by round trips: the
        offset at the shortest round trip (within +/- half of it), and the same for the wall clock
        (performance.timeOrigin + performance.now() against time.time())."""
        workers = []
        for worker in self.workers:
            resolution = (await worker.call("clock", resolution=True))["resolutionMs"]
            best: tuple[float, float, float] | None = None
            for _ in range(_CLOCK_PINGS):
                mono0, wall0 = time.monotonic() * 1000, time.time() * 1000
                reply = await worker.call("clock", resolution=False)
                mono1, wall1 = time.monotonic() * 1000, time.time() * 1000
                rtt = mono1 - mono0
                if best is None or rtt < best[0]:
                    best = (
                        rtt,
                        reply["mono"] - (mono0 + mono1) / 2,
                        reply["wall"] - (wall0 + wall1) / 2,
                    )
            assert best is not None
            rtt, mono, wall = best
            workers.append(
                {
                    "roundTripMs": round(rtt, 4),
                    "monotonicOffsetMs": round(mono, 4),
                    "wallOffsetMs": round(wall, 4),
                    "resolutionMs": resolution,
                }
            )
        return {"workers": workers}


def _join_acks(paths: list[Path], samples: Path) -> None:
    """Every worker's ack samples into `samples`.ack; the workers' own files are removed."""
    Path(f"{samples}.ack").write_bytes(b"".join(Path(f"{p}.ack").read_bytes() for p in paths))
    for path in paths:
        for suffix in (".sends", ".receives", ".ack"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
