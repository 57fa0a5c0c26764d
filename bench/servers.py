"""The servers under test, each started as real subprocesses on loopback ports: Ardoise, Hocuspocus
and Redis. Each gives the load generator its addresses and the driver its process ids."""

from __future__ import annotations

import asyncio
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench.node import NodePackages
from server.settings import Settings, SqliteSync

ROOT = Path(__file__).resolve().parents[1]


class ServerError(RuntimeError):
    """A server did not start, or refused what the benchmark asked of it."""


class ManagedProcess:
    """A subprocess whose output is kept (for error messages) and scanned for a ready line."""

    def __init__(
        self, name: str, argv: list[str], ready: re.Pattern[str], env: dict[str, str], cwd: Path
    ) -> None:
        self.name = name
        self.argv = argv
        self.ready = ready
        self.env = env
        self.cwd = cwd
        self.address = ""
        self._proc: asyncio.subprocess.Process | None = None
        self._lines: deque[str] = deque(maxlen=200)
        self._reader: asyncio.Task[None] | None = None

    @property
    def pid(self) -> int:
        if self._proc is None:
            raise ServerError(f"{self.name} is not running")
        return self._proc.pid

    async def start(self, within_s: float = 30.0) -> None:
        self._proc = await asyncio.create_subprocess_exec(
            *self.argv,
            cwd=self.cwd,
            env=self.env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        found = asyncio.Event()
        self._reader = asyncio.create_task(self._read(self._proc, found))
        try:
            await asyncio.wait_for(found.wait(), within_s)
        except TimeoutError:
            await self.stop()
            raise ServerError(f"{self.name} did not start:\n{self.log()}") from None
        if self._proc is None or self._proc.returncode is not None:
            raise ServerError(f"{self.name} exited:\n{self.log()}")

    async def _read(self, proc: asyncio.subprocess.Process, found: asyncio.Event) -> None:
        assert proc.stdout is not None
        async for raw in proc.stdout:
            line = raw.decode(errors="replace").rstrip()
            self._lines.append(line)
            match = self.ready.search(line)
            if match and not found.is_set():
                self.address = match.group(1) if match.groups() else ""
                found.set()
        # The process ended (or closed its output): whoever waits must not wait forever.
        found.set()

    def log(self) -> str:
        return "\n".join(self._lines)

    async def stop(self) -> None:
        """SIGTERM (each server then stores what it holds), SIGKILL if it takes too long."""
        proc = self._proc
        if proc is None:
            return
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(proc.wait(), 20)
            except TimeoutError:
                proc.kill()
                await proc.wait()
        if self._reader:
            await self._reader
        self._proc = None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True, slots=True)
class Board:
    """A board as the load generator needs it: an id and the secrets of two roles."""

    id: str
    facilitator: str
    participant: str


class BoardServer:
    """What the scenario needs of a server: start, stop, new boards, addresses, process ids."""

    kind = ""
    version = ""
    persistence = ""
    ack_meaning = ""
    fanout = ""

    def __init__(self, processes: list[ManagedProcess]) -> None:
        self.processes = processes

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self.processes]

    @property
    def urls(self) -> list[str]:
        return [p.address for p in self.processes]

    async def start(self) -> None:
        for process in self.processes:
            await process.start()

    async def stop(self) -> None:
        for process in self.processes:
            await process.stop()

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    async def new_board(self, title: str) -> Board:
        raise NotImplementedError

    deflate = False
    apply_every_ms = 0.0
    # Ardoise only: which Socket.IO client the participants use (bench.config.ARDOISE_CLIENTS).
    client = "lean"

    def target(self, board: Board, token: str, process: int = 0) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "url": self.urls[process],
            "board": board.id,
            "token": token,
            "deflate": self.deflate,
            "applyEveryMs": self.apply_every_ms,
            "client": self.client,
        }

    def log(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.log()}" for p in self.processes)


class ArdoiseServer(BoardServer):
    kind = "ardoise"

    def __init__(
        self,
        data_dir: Path,
        processes: int = 1,
        redis_url: str | None = None,
        extra_env: Mapping[str, str] | None = None,
        checkout: Path | None = None,
    ) -> None:
        """`extra_env`: more of the process's environment (a setting to compare), over the rest.
        `checkout`: another clone of Ardoise whose server to run (a code change compared with
        the code before it, in one alternated run); this one by default."""
        source = checkout or ROOT
        data_dir.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "ARDOISE_HOST": "127.0.0.1",
            "ARDOISE_PORT": "0",
            "ARDOISE_DATA_DIR": str(data_dir),
            "ARDOISE_DATABASE_URL": f"sqlite+aiosqlite:///{data_dir / 'ardoise.sqlite3'}",
            # Info level: the "listening" line is an info record (uvicorn logs each connection).
            "ARDOISE_LOG_LEVEL": "info",
            # Not performance settings: every simulated participant comes from 127.0.0.1, and the
            # default per-address limits are sized for a real room, not for 250 boards a minute.
            "ARDOISE_CONNECTS_PER_MINUTE": "1000000",
            "ARDOISE_CREATIONS_PER_MINUTE": "1000000",
            "ARDOISE_NEW_PARTICIPANTS_PER_MINUTE": "1000000",
            "PYTHONUNBUFFERED": "1",
            **(extra_env or {}),
        }
        if redis_url:
            env["ARDOISE_REDIS_URL"] = redis_url
        settings = Settings.from_env(env)
        self.fanout = _ardoise_fanout(settings)
        self.persistence = _ardoise_persistence(settings)
        self.ack_meaning = _ardoise_ack_meaning(settings)
        ready = re.compile(r"Ardoise listening on (http://\S+)")
        super().__init__(
            [
                # Started in `source`: `python -m server` imports the package of its working folder.
                ManagedProcess(f"ardoise-{i}", [sys.executable, "-m", "server"], ready, env, source)
                for i in range(processes)
            ]
        )
        self.version = _ardoise_version(source)

    async def start(self) -> None:
        await super().start()
        async with httpx.AsyncClient(timeout=5) as client:
            for url in self.urls:
                deadline = time.monotonic() + 20
                while True:
                    try:
                        if (await client.get(f"{url}/healthz")).status_code == 200:
                            break
                    except httpx.HTTPError:
                        pass
                    if time.monotonic() > deadline:
                        raise ServerError(f"Ardoise never became healthy:\n{self.log()}")
                    await asyncio.sleep(0.05)

    async def new_board(self, title: str) -> Board:
        async with httpx.AsyncClient(timeout=30) as client:
            response = await client.post(f"{self.urls[0]}/api/boards", json={"title": title})
        if response.status_code != 201:
            raise ServerError(f"creating a board: {response.status_code} {response.text[:300]}")
        body = response.json()
        tokens = body["tokens"]
        return Board(body["id"], tokens["facilitator"], tokens["participant"])


def _ardoise_version(source: Path) -> str:
    try:
        described = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=source,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"git {described.stdout.strip()}"


def _ardoise_persistence(settings: Settings) -> str:
    """Where the server under test commits, as its settings read it."""
    share = settings.loop_commit_share
    where = (
        f"on the event loop when idle (at most {share:.0%} of its time), else in a thread"
        if share
        else "in a thread"
    )
    sync = settings.sqlite_sync.name
    return f"SQLite (WAL, synchronous={sync}), one log row per update, group commit {where}"


def _ardoise_ack_meaning(settings: Settings) -> str:
    if settings.sqlite_sync is SqliteSync.FULL:
        return "after the update is durably committed"
    return "after the update is committed (survives a crash of the process, not a power cut)"


def _ardoise_fanout(settings: Settings) -> str:
    """How the server under test sends updates on: its merge window, as its settings read it."""
    if not settings.merge_window_s:
        return "each update sent once applied (merge window off)"
    return (
        f"updates merged over {settings.merge_window_s * 1000:g} ms while a board makes "
        f">= {settings.merge_from_deliveries_per_s:,} deliveries/s, else sent once applied"
    )


class HocuspocusServer(BoardServer):
    kind = "hocuspocus"
    persistence = (
        "extension-database store hook: whole document to a file + fsync, "
        "debounced 2 s (at most 10 s) after changes (Hocuspocus defaults)"
    )
    ack_meaning = "SyncStatus after applying in memory; stored later (debounced), not durable"
    fanout = "each update broadcast once applied (what arrives in one event-loop turn merges)"

    def __init__(
        self,
        packages: NodePackages,
        data_dir: Path,
        processes: int = 1,
        redis: tuple[str, int] | None = None,
        extra_env: Mapping[str, str] | None = None,
    ) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        config = {
            "dataDir": str(data_dir),
            "redis": {"host": redis[0], "port": redis[1]} if redis else None,
        }
        argv = [packages.node, str(packages.script("hocuspocus_server.mjs")), json.dumps(config)]
        ready = re.compile(r"Hocuspocus listening on (ws://\S+)")
        env = {**os.environ, **(extra_env or {})}
        super().__init__(
            [
                ManagedProcess(f"hocuspocus-{i}", argv, ready, env, packages.folder)
                for i in range(processes)
            ]
        )
        self.version = f"@hocuspocus/server {packages.version('@hocuspocus/server')}"

    async def new_board(self, title: str) -> Board:
        # Hocuspocus creates a document on first use; no tokens (no onAuthenticate hook).
        return Board(f"{secrets.token_hex(8)}", "", "")


class RedisServer:
    """A throwaway redis-server on a loopback port, without persistence."""

    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        binary = shutil.which("redis-server") or "redis-server"
        argv = [
            binary,
            "--bind",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(data_dir),
        ]
        self.process = ManagedProcess(
            "redis", argv, re.compile(r"Ready to accept connections()"), dict(os.environ), data_dir
        )

    @staticmethod
    def is_installed() -> bool:
        return shutil.which("redis-server") is not None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    async def start(self) -> None:
        await self.process.start()

    async def stop(self) -> None:
        await self.process.stop()
