"""The measurements, in the same order for every server: memory, the workload and its ramp, the
5,000-note board, then two processes with Redis. Returns plain dicts (the JSON report)."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.config import Config
from bench.loadgen import LoadGenError, LoadGenPool
from bench.node import NodePackages
from bench.procstat import cpu_seconds, load_average, rss_bytes, settle
from bench.report import LOADGEN_SATURATED
from bench.servers import ArdoiseServer, BoardServer, HocuspocusServer, RedisServer, ServerError
from bench.stats import median, read_samples, summarize, timeline

log = logging.getLogger("bench")

KB = 1024
MB = 1024 * 1024
# Within this share of the requested rate, the load generator kept up with its schedule.
_RATE_KEPT = 0.95
# How long the two-process probe waits for a write to reach the other process's participants.
_PROBE_TIMEOUT_S = 3.0


@dataclass
class Window:
    """CPU seconds of the servers and of the load generator between two events."""

    pids: list[int]
    loadgen_pids: list[int]
    start: dict[int, float] = field(default_factory=dict)
    end: dict[int, float] = field(default_factory=dict)
    wall: list[float] = field(default_factory=list)

    def on_event(self, event: dict[str, Any]) -> None:
        name = event.get("event")
        if name == "measure-start":
            self.start = self._read()
            self.wall = [time.monotonic()]
        elif name == "measure-end":
            self.end = self._read()
            self.wall.append(time.monotonic())

    def _read(self) -> dict[int, float]:
        return {pid: cpu_seconds(pid) for pid in [*self.pids, *self.loadgen_pids]}

    def cpu(self, pids: list[int]) -> float:
        return sum(self.end[pid] - self.start[pid] for pid in pids)

    @property
    def seconds(self) -> float:
        return self.wall[1] - self.wall[0]


class Scenario:
    def __init__(
        self, config: Config, packages: NodePackages, loadgen: LoadGenPool, workdir: Path
    ) -> None:
        self.config = config
        self.packages = packages
        self.loadgen = loadgen
        self.workdir = workdir
        self._runs = 0

    def make_server(
        self,
        kind: str,
        name: str,
        processes: int = 1,
        redis: RedisServer | None = None,
        env: Mapping[str, str] | None = None,
        checkout: Path | None = None,
    ) -> BoardServer:
        """`env`: more environment for the server's processes (`bench.pairs` compares settings);
        `checkout`: another clone of Ardoise to run (`bench.pairs` compares code)."""
        data = self.workdir / name
        server: BoardServer
        if kind == "ardoise":
            server = ArdoiseServer(data, processes, redis.url if redis else None, env, checkout)
        elif kind == "hocuspocus":
            address = ("127.0.0.1", redis.port) if redis else None
            server = HocuspocusServer(self.packages, data, processes, address, env)
        else:
            raise ValueError(f"unknown server kind {kind!r}")
        server.deflate = self.config.deflate
        server.apply_every_ms = self.config.apply_every_ms
        server.client = self.config.ardoise_client
        return server

    # ---- one server, one process ----------------------------------------------------------------

    async def measure(self, kind: str) -> dict[str, Any]:
        server = self.make_server(kind, kind)
        await server.start()
        result: dict[str, Any] = {
            "server": server.version,
            "persistence": server.persistence,
            "ackMeaning": server.ack_meaning,
            "fanout": server.fanout,
        }
        try:
            log.info("%s: memory of boards and connections", kind)
            result["memory"] = await self._memory(server)
            log.info("%s: %d participants at %.0f writes/s", kind, *self._workload_shape())
            workload, join = await self._workload(server)
            result.update(workload)
            result["join"] = join
            result["memory"]["perConnectionKB"] = round(workload["perConnectionKB"], 1)
            log.info("%s: the %d-note board", kind, self.config.big_board_notes)
            big = await self._big_board(server, workload["perConnectionKB"] * KB)
            result["memory"]["bigBoardMB"] = big.pop("boardMB")
            result["join"].update(big)
        except (LoadGenError, ServerError) as exc:
            raise ServerError(f"{kind}: {exc}\n{server.log()[-4000:]}") from exc
        finally:
            await server.stop()
        log.info("%s: two processes with Redis", kind)
        result["redis"] = await self._redis(kind)
        return result

    def _workload_shape(self) -> tuple[int, float]:
        return self.config.participants, self.config.rate

    async def _memory(self, server: BoardServer) -> dict[str, Any]:
        """RSS deltas: K empty boards with one participant each, then K more on one of them."""
        count = self.config.memory_boards
        pid = server.pids[0]
        await settle(server.pids)
        baseline = rss_bytes(pid)
        boards = [await server.new_board(f"empty {i}") for i in range(count)]
        targets = [server.target(board, board.participant) for board in boards]
        await self.loadgen.connect("boards", count, targets=targets)
        await settle(server.pids)
        with_boards = rss_bytes(pid)
        await self.loadgen.connect("conns", count, target=targets[0])
        await settle(server.pids)
        with_conns = rss_bytes(pid)
        await self.loadgen.close("conns")
        await self.loadgen.close("boards")
        per_conn = (with_conns - with_boards) / count
        per_board = (with_boards - baseline) / count - per_conn
        return {
            "baselineMB": round(baseline / MB, 1),
            "perEmptyBoardKB": round(per_board / KB, 1),
            "perIdleConnectionKB": round(per_conn / KB, 1),
            "boardsOpened": count,
        }

    async def run(
        self,
        server_pids: list[int],
        group: str,
        rate: float,
        warmup: float,
        seconds: float,
    ) -> dict[str, Any]:
        """One open-loop run; latencies from the samples, CPU over the measured window."""
        self._runs += 1
        samples = self.workdir / f"samples-{self._runs}"
        window = Window(server_pids, self.loadgen.pids)
        self.loadgen.on_event = window.on_event
        reply = await self.loadgen.run(group, rate, warmup, seconds, self.config.drain_s, samples)
        fanout = read_samples(Path(f"{samples}.fanout"))
        acks = read_samples(Path(f"{samples}.ack"))
        server_cpu = window.cpu(server_pids)
        in_window = reply["deliveriesInWindow"]
        out = {
            "participants": reply["participants"],
            "requestedRate": rate,
            "achievedRate": round(reply["achievedRate"], 2),
            "writes": reply["writes"],
            "acked": reply["acked"],
            "failedWrites": reply["failed"],
            "failures": reply["failures"],
            "deliveries": reply["deliveries"],
            "expectedDeliveries": reply["expectedDeliveries"],
            "lost": reply["lost"],
            "duplicates": reply["duplicates"],
            "echoesToWriter": reply["echoes"],
            "fanoutMs": summarize(fanout, (50, 95, 99)),
            "ackMs": summarize(acks, (50, 95, 99)),
            "serverCpuSeconds": round(server_cpu, 3),
            "serverCpuShare": round(server_cpu / window.seconds, 3),
            "deliveriesInWindow": in_window,
            "cpuMsPer1000Deliveries": round(1e6 * server_cpu / in_window, 2) if in_window else None,
            "loadgenCpuSeconds": round(window.cpu(self.loadgen.pids), 3),
            # The busiest worker's: past LOADGEN_SATURATED, that worker is the bottleneck.
            "loadgenEventLoopUtilization": round(reply["loadgen"]["eventLoopUtilization"], 3),
            "loadgenWorkers": reply["loadgen"]["workers"],
            "loadgenSaturated": reply["loadgen"]["eventLoopUtilization"] > LOADGEN_SATURATED,
            "drainSeconds": round(reply["drainMs"] / 1000, 2),
            "timeline": timeline(reply["timeline"], reply["loadgen"]["workers"]),
            "loadAverage1m": round(load_average()[0], 2),
        }
        # Whatever the server still owes (it fell behind) must not be charged to the next run.
        await settle(server_pids)
        return out

    async def _workload(self, server: BoardServer) -> tuple[dict[str, Any], dict[str, Any]]:
        config = self.config
        board = await server.new_board("workshop")
        pid = server.pids[0]
        await settle(server.pids)
        before = rss_bytes(pid)
        joined = await self.loadgen.connect(
            "main", config.participants, target=server.target(board, board.participant)
        )
        await settle(server.pids)
        per_connection = (rss_bytes(pid) - before) / config.participants
        # The ramp first: its short steps stop at the first one past the limit, while the main
        # workload may overload a slow server and leave it a backlog to work off.
        ramp = await self._ramp(server)
        main = await self.run(server.pids, "main", config.rate, config.warmup_s, config.measure_s)
        await self.loadgen.close("main")
        join = {
            "allAtOnceParticipants": config.participants,
            "allAtOnceSyncedMs": round(joined["allSyncedMs"], 1),
            "allAtOnceMedianMs": round(median(joined["joinMs"]), 1),
        }
        return {"workload": main, "ramp": ramp, "perConnectionKB": per_connection / KB}, join

    async def _ramp(self, server: BoardServer) -> dict[str, Any]:
        config = self.config
        steps: list[dict[str, Any]] = []
        sustained = 0.0
        stopped_by = "the last step passed"
        for rate in config.ramp_rates:
            step = await self.run(server.pids, "main", rate, config.ramp_warmup_s, config.ramp_s)
            steps.append(
                {
                    key: step[key]
                    for key in (
                        "requestedRate",
                        "achievedRate",
                        "fanoutMs",
                        "ackMs",
                        "lost",
                        "failedWrites",
                        "serverCpuShare",
                        "cpuMsPer1000Deliveries",
                        "loadgenEventLoopUtilization",
                        "loadgenWorkers",
                        "loadgenSaturated",
                    )
                }
            )
            failed = _ramp_failure(step, config.ramp_p99_limit_ms)
            if failed:
                loadgen_busy = step["loadgenEventLoopUtilization"] > LOADGEN_SATURATED
                stopped_by = f"{failed} at {rate:g} writes/s" + (
                    " (the load generator was saturated)" if loadgen_busy else ""
                )
                break
            sustained = step["achievedRate"]
        return {
            "sustainedWritesPerSecond": sustained,
            "sustainedDeliveriesPerSecond": round(sustained * (config.participants - 1), 1),
            "stoppedBy": stopped_by,
            "p99LimitMs": config.ramp_p99_limit_ms,
            "steps": steps,
        }

    async def _big_board(self, server: BoardServer, per_connection: float) -> dict[str, Any]:
        """Build the board through the protocol, restart the server, then join it: cold, warm."""
        config = self.config
        board = await server.new_board("big board")
        built = await self.loadgen.build(
            target=server.target(board, board.facilitator),
            notes=config.big_board_notes,
            batch=config.big_board_batch,
        )
        # A fresh process: the board is on disk only, and the RSS delta is the board's.
        await server.restart()
        await settle(server.pids)
        pid = server.pids[0]
        before = rss_bytes(pid)
        target = server.target(board, board.participant)
        cold = await self.loadgen.join("holder", target=target, count=1, stay=True)
        await settle(server.pids)
        board_bytes = rss_bytes(pid) - before - per_connection
        warm = await self.loadgen.join(
            "joiners", target=target, count=config.warm_joins, stay=False
        )
        await self.loadgen.close("holder")
        notes = warm["notes"]
        if notes != config.big_board_notes:
            raise ServerError(f"a joiner saw {notes} notes, not {config.big_board_notes}")
        return {
            "bigBoardNotes": notes,
            "bigBoardUpdateBytes": built["updateBytes"],
            "bigBoardBuildMs": round(built["ms"], 1),
            "bigBoardColdMs": round(cold["joinMs"][0], 1),
            "bigBoardWarmMs": round(median(warm["joinMs"]), 1),
            "bigBoardWarmMaxMs": round(max(warm["joinMs"]), 1),
            "boardMB": round(board_bytes / MB, 2),
        }

    # ---- two processes with Redis ---------------------------------------------------------------

    async def _redis(self, kind: str) -> dict[str, Any]:
        if not RedisServer.is_installed():
            return {"status": "unavailable", "message": "redis-server is not installed"}
        redis = RedisServer(self.workdir / f"{kind}-redis")
        await redis.start()
        server = self.make_server(kind, f"{kind}-2p", processes=2, redis=redis)
        try:
            await server.start()
            board = await server.new_board("two processes")
            count = max(4, self.config.participants)
            targets = [server.target(board, board.participant, i % 2) for i in range(2)]
            await self.loadgen.connect("two", count, targets=targets)
            probe = await self.loadgen.probe("two", wait=_PROBE_TIMEOUT_S)
            other = 1 - probe["writerServer"]
            on_other = probe["byServer"][str(other)]
            if probe["received"] < probe["expected"]:
                reached = probe["received"] - (probe["expected"] - on_other)
                await self.loadgen.close("two")
                return {
                    "status": "not_supported",
                    "message": (
                        f"not supported yet: a write on process {probe['writerServer'] + 1} "
                        f"reached {max(0, reached)} of the {on_other} participants on process "
                        f"{other + 1} within {_PROBE_TIMEOUT_S:g} s"
                    ),
                }
            run = await self.run(
                [*server.pids, redis.process.pid],
                "two",
                self.config.rate,
                self.config.warmup_s / 2,
                self.config.redis_measure_s,
            )
            await self.loadgen.close("two")
            return {"status": "ok", "processes": 2, **run}
        finally:
            await server.stop()
            await redis.stop()


def _ramp_failure(step: dict[str, Any], limit_ms: float) -> str:
    if step["lost"] or step["failedWrites"]:
        return f"{step['lost']} deliveries lost, {step['failedWrites']} writes failed"
    if step["achievedRate"] < _RATE_KEPT * step["requestedRate"]:
        return "the load generator could not keep the rate"
    if step["fanoutMs"]["p99"] > limit_ms:
        return f"fan-out p99 {step['fanoutMs']['p99']:.0f} ms > {limit_ms:g} ms"
    return ""
