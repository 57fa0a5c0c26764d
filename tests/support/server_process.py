"""Runs the real server (`python -m server`) as a subprocess on a free loopback port."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from pathlib import Path

import httpx

_LISTENING = re.compile(r"Ardoise listening on (http://[^\s\"]+)")
ROOT = Path(__file__).resolve().parents[2]

# For a server that the whole suite shares: every test reaches it from 127.0.0.1, so with the
# default per-address limits, how many boards the suite happened to create in the last minute
# would decide which test gets a 429. The limits are tested on servers of their own.
SHARED_SERVER_ENV = {
    "ARDOISE_CREATIONS_PER_MINUTE": "1000000",
    "ARDOISE_CONNECTS_PER_MINUTE": "1000000",
    "ARDOISE_JOIN_LOOKUPS_PER_MINUTE": "1000000",
    "ARDOISE_TOKEN_FAILURES_PER_MINUTE": "1000000",
    "ARDOISE_NEW_PARTICIPANTS_PER_MINUTE": "1000000",
}


class ServerProcess:
    """One server; `restart()` keeps its database, `kill()` is a crash (SIGKILL)."""

    def __init__(self, data_dir: Path, database_url: str, extra_env: dict[str, str] | None = None):
        self.data_dir = data_dir
        self.database_url = database_url
        self.extra_env = extra_env or {}
        self.url = ""
        self._proc: subprocess.Popen[str] | None = None
        self._lines: deque[str] = deque(maxlen=400)
        self._reader: threading.Thread | None = None

    @property
    def pid(self) -> int:
        assert self._proc is not None, "the server is not started"
        return self._proc.pid

    def start(self, timeout: float = 20.0) -> ServerProcess:
        env = {
            **os.environ,
            "ARDOISE_HOST": "127.0.0.1",
            "ARDOISE_PORT": "0",
            "ARDOISE_DATA_DIR": str(self.data_dir),
            "ARDOISE_DATABASE_URL": self.database_url,
            "ARDOISE_LOG_LEVEL": "info",
            "PYTHONUNBUFFERED": "1",
            **self.extra_env,
        }
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "server"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        found, ended = threading.Event(), threading.Event()

        def read(proc: subprocess.Popen[str]) -> None:
            assert proc.stderr is not None
            for line in proc.stderr:
                self._lines.append(line.rstrip())
                match = _LISTENING.search(line)
                if match:
                    self.url = match.group(1)
                if "Application startup complete" in line:
                    found.set()
            ended.set()
            found.set()  # the process ended: its log says why, no need to wait out the timeout

        self._reader = threading.Thread(target=read, args=(self._proc,), daemon=True)
        self._reader.start()
        if not found.wait(timeout) or not self.url or ended.is_set():
            self.stop()
            raise RuntimeError(f"server did not start:\n{self.log()}")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"server never became healthy:\n{self.log()}")

    def log(self) -> str:
        return "\n".join(self._lines)

    def stop(self) -> None:
        """A graceful stop (SIGTERM): the server flushes what it accepted."""
        if self._proc and self._proc.poll() is None:
            self._proc.send_signal(signal.SIGTERM)
            try:
                self._proc.wait(15)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(5)
        self._close_pipe()

    def kill(self) -> None:
        """A crash: no chance to flush anything."""
        if self._proc and self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait(5)
        self._close_pipe()

    def _close_pipe(self) -> None:
        if self._reader:
            self._reader.join(5)
            if self._reader.is_alive():
                # Something the server started still holds its stderr: closing the pipe under the
                # reading thread would block on the reader's lock. The daemon thread is left.
                raise RuntimeError(
                    f"the server's stderr is still open after it ended:\n{self.log()}"
                )
        if self._proc and self._proc.stderr:
            self._proc.stderr.close()

    def restart(self, crash: bool = False) -> ServerProcess:
        self.kill() if crash else self.stop()
        return self.start()
