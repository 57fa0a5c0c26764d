"""Fixtures of the integration tests."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.support.server_process import ServerProcess
from tests.support.stock_client import ROOT, STOCK_CLIENT, StartStock, StockClient, find_node


@pytest.fixture
async def stock(server: ServerProcess) -> AsyncIterator[StartStock]:
    """Starts stock clients on `server`: stock(auth, steps, **options); all stopped at the end."""
    node = find_node()
    started: list[StockClient] = []

    async def start(
        auth: dict[str, Any], steps: list[dict[str, Any]], **options: Any
    ) -> StockClient:
        spec = {"url": server.url, "auth": auth, "steps": steps, **options}
        proc = await asyncio.create_subprocess_exec(
            node,
            str(STOCK_CLIENT),
            json.dumps(spec),
            cwd=ROOT,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        client = StockClient(proc, spec)
        started.append(client)
        return client

    yield start
    for client in started:
        await client.stop()
