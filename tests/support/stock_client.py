"""Running the stock JavaScript Yjs client (tests/integration/js/stock_client.mjs) with Node.

Each run is given a list of steps as JSON; it prints one JSON line per step, and `wait` steps let
the test act in between. The `stock` fixture (tests/integration/conftest.py) starts them.
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import subprocess
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
STOCK_CLIENT = ROOT / "tests" / "integration" / "js" / "stock_client.mjs"
PACKAGES = ("yjs", "y-protocols", "lib0", "socket.io-client")
MIN_NODE_MAJOR = 20
STEP_TIMEOUT_S = 20.0

# ---- running the stock client --------------------------------------------------------------------


def find_node() -> str:
    """Node and web/node_modules, or a failure saying how to get them (never a skip)."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is not installed (needed for the stock Yjs client): run `make setup`")
    version = subprocess.run(
        [node, "--version"], capture_output=True, text=True, timeout=10, check=True
    ).stdout.strip()
    match = re.match(r"v(\d+)\.", version)
    if match is None or int(match.group(1)) < MIN_NODE_MAJOR:
        pytest.fail(f"Node.js >= {MIN_NODE_MAJOR} is needed, found {version!r}: run `make setup`")
    missing = [p for p in PACKAGES if not (WEB / "node_modules" / p / "package.json").is_file()]
    if missing:
        pytest.fail(
            f"web/node_modules lacks {', '.join(missing)} (the stock Yjs client's packages): "
            "run `make setup`"
        )
    return node


class StockClient:
    """One run of stock_client.mjs: its JSON lines, read one step at a time."""

    def __init__(self, proc: asyncio.subprocess.Process, spec: dict[str, Any]) -> None:
        self.proc = proc
        self.spec = spec
        self.stderr: list[str] = []
        self._stderr_task = asyncio.ensure_future(self._read_stderr())

    async def _read_stderr(self) -> None:
        assert self.proc.stderr is not None
        async for line in self.proc.stderr:
            self.stderr.append(line.decode(errors="replace").rstrip())

    def _context(self) -> str:
        return f"steps: {json.dumps(self.spec['steps'])}\nnode stderr:\n" + "\n".join(self.stderr)

    async def next(self, step: str) -> dict[str, Any]:
        """The result of the next step, which must be `step` and must not have failed."""
        assert self.proc.stdout is not None
        try:
            line = await asyncio.wait_for(self.proc.stdout.readline(), STEP_TIMEOUT_S)
        except TimeoutError:
            pytest.fail(
                f"the stock client printed nothing for {STEP_TIMEOUT_S}s awaiting {step!r}\n"
                + self._context()
            )
        if not line:
            await asyncio.wait_for(self.proc.wait(), 5)
            await self._stderr_task
            pytest.fail(
                f"the stock client exited ({self.proc.returncode}) before {step!r}\n"
                + self._context()
            )
        result: dict[str, Any] = json.loads(line)
        assert "error" not in result, f"step {result.get('step')!r} failed: {result['error']}"
        assert result["step"] == step, (result, self._context())
        return result

    async def go_on(self) -> None:
        """Release the client from its current `wait` step."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"go\n")
        await self.proc.stdin.drain()
        assert (await self.next("wait"))["line"] == "go"

    async def finish(self) -> dict[str, Any]:
        """The final `done` line; the program must then exit cleanly by itself."""
        done = await self.next("done")
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        try:
            code = await asyncio.wait_for(self.proc.wait(), STEP_TIMEOUT_S)
        except TimeoutError:
            pytest.fail("the stock client did not exit after its last step\n" + self._context())
        await self._stderr_task
        assert code == 0, self._context()
        return done

    async def stop(self) -> None:
        if self.proc.returncode is None:
            self.proc.kill()
            await self.proc.wait()
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        await self._stderr_task


StartStock = Callable[..., Awaitable[StockClient]]
