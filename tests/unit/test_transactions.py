"""Transaction runners: SQLite in a thread of its own, one transaction per body, all or nothing."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import pytest
from sqlalchemy import Connection, insert, select

from server.boards.store import BoardRecord, utc_now
from server.db import create_engine, create_schema
from server.models import boards
from server.transactions import (
    AsyncEngineTransactions,
    SqliteThreadTransactions,
    transactions_for,
)


def record(board_id: str, join_code: str) -> dict[str, object]:
    return asdict(
        BoardRecord(board_id, "T", "blank", "fr", join_code, True, "0" * 64, "p", "o", utc_now())
    )


async def test_a_file_database_gets_a_thread_and_memory_the_engine(tmp_path: Path) -> None:
    file_engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'a.sqlite3'}")
    memory_engine = create_engine("sqlite+aiosqlite:///:memory:")
    runner = transactions_for(file_engine)
    assert isinstance(runner, SqliteThreadTransactions)
    assert isinstance(transactions_for(memory_engine), AsyncEngineTransactions)
    await runner.close()
    await file_engine.dispose()
    await memory_engine.dispose()


async def test_a_body_that_raises_stores_nothing_and_bodies_run_in_order(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 't.sqlite3'}")
    await create_schema(engine)
    runner = transactions_for(engine)

    def insert_then_fail(conn: Connection) -> None:
        conn.execute(insert(boards).values(**record("b1", "AAAAAA")))
        raise RuntimeError("half-way")

    with pytest.raises(RuntimeError, match="half-way"):
        await runner.run(insert_then_fail)

    ran: list[str] = []

    def insert_one(board_id: str, code: str) -> Callable[[Connection], str]:
        def body(conn: Connection) -> str:
            ran.append(board_id)
            conn.execute(insert(boards).values(**record(board_id, code)))
            return board_id

        return body

    wanted = [f"b{i}" for i in range(20)]
    done = await asyncio.gather(*(runner.run(insert_one(b, f"C{b:0>5}")) for b in wanted))
    assert done == wanted
    assert ran == wanted  # one thread: in the order they were asked for
    # What the thread committed is what the async engine (another connection) reads; "b1" of
    # the failed body is there once only, from the later insert.
    async with engine.connect() as conn:
        ids = (await conn.execute(select(boards.c.id))).scalars().all()
    assert sorted(ids) == sorted(wanted)
    await runner.close()
    await engine.dispose()
