"""Creating and dropping a throw-away PostgreSQL database, from synchronous fixtures."""

from __future__ import annotations

import asyncio
import concurrent.futures

import asyncpg


async def _execute(admin_url: str, statement: str) -> None:
    conn = await asyncpg.connect(admin_url, timeout=5)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


def execute(admin_url: str, statement: str) -> None:
    """Run one statement; in a thread of its own so that no running event loop is in the way."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, _execute(admin_url, statement)).result(timeout=30)
