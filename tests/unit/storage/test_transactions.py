"""Transaction runners: SQLite in a thread of its own, one transaction per body, all or nothing."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import asdict
from pathlib import Path

import pytest
from sqlalchemy import Connection, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from server.boards.records import BoardRecord, utc_now
from server.settings import SqliteSync
from server.storage.engine import create_engine
from server.storage.loop_share import LoopShare
from server.storage.schema import migrate
from server.storage.tables import boards
from server.storage.transactions import (
    AsyncEngineTransactions,
    SqliteThreadTransactions,
    transactions_for,
)

# Commits on the loop whenever the database allows, however slow this machine's disk is.
EVERY_TIME = LoopShare(1.0, slow_s=float("inf"))


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
    await migrate(engine)
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


@asynccontextmanager
async def loop_runner(
    path: Path, sync: SqliteSync = SqliteSync.FULL
) -> AsyncIterator[tuple[AsyncEngine, SqliteThreadTransactions]]:
    """A database file with its schema, and a runner that commits on the loop when it can."""
    engine = create_engine(f"sqlite+aiosqlite:///{path}", sync)
    await migrate(engine)
    runner = SqliteThreadTransactions(engine, EVERY_TIME, sync)
    try:
        yield engine, runner
    finally:
        await runner.close()
        await engine.dispose()


async def board_ids(engine: AsyncEngine) -> list[str]:
    """What another connection reads back."""
    async with engine.connect() as conn:
        return list((await conn.execute(select(boards.c.id))).scalars().all())


def insert_board(board_id: str, code: str, title: str = "T") -> Callable[[Connection], str]:
    def body(conn: Connection) -> str:
        conn.execute(insert(boards).values(**{**record(board_id, code), "title": title}))
        return board_id

    return body


async def test_run_now_commits_on_the_calling_thread_what_others_then_read(tmp_path: Path) -> None:
    async with loop_runner(tmp_path / "n.sqlite3") as (engine, runner):
        threads: list[int] = []

        def insert_one(conn: Connection) -> str:
            threads.append(threading.get_ident())
            return insert_board("b1", "AAAAAA")(conn)

        assert runner.run_now(insert_one) == ("b1",)
        assert threads == [threading.get_ident()]  # the event loop's thread: no hand-off
        assert runner.loop_commits == 1
        assert await board_ids(engine) == ["b1"]


async def test_run_now_never_waits_for_a_lock_and_leaves_the_write_to_the_thread(
    tmp_path: Path,
) -> None:
    path = tmp_path / "l.sqlite3"
    async with loop_runner(path) as (engine, runner):
        # Another process's writer, in the middle of a transaction.
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        started = time.monotonic()
        assert runner.run_now(insert_board("b1", "AAAAAA")) is None
        # Refused at once: the event loop did not sit out SQLite's 10-s busy timeout.
        assert time.monotonic() - started < 5
        assert runner.loop_commits == 0
        # The thread waits for the lock instead, while the loop goes on.
        stored = asyncio.ensure_future(runner.run(insert_board("b1", "AAAAAA")))
        await asyncio.sleep(0.2)
        assert not stored.done()
        # Never beside a transaction of the thread.
        assert runner.run_now(insert_board("b2", "BBBBBB")) is None
        other.execute("COMMIT")
        other.close()
        assert await asyncio.wait_for(stored, 10) == "b1"
        assert await board_ids(engine) == ["b1"]


async def test_run_now_stores_nothing_of_a_body_that_fails(tmp_path: Path) -> None:
    async with loop_runner(tmp_path / "f.sqlite3") as (engine, runner):

        def insert_then_fail(conn: Connection) -> None:
            insert_board("b1", "AAAAAA")(conn)
            insert_board("b1", "BBBBBB")(conn)  # the same id: refused

        assert runner.run_now(insert_then_fail) is None
        assert await board_ids(engine) == []


async def test_commits_on_the_loop_still_let_the_wal_be_checkpointed(tmp_path: Path) -> None:
    # The loop's connection never checkpoints; every so often a commit goes to the thread,
    # whose connection does. Without that, this WAL would grow past 30 MB.
    path = tmp_path / "w.sqlite3"
    async with loop_runner(path) as (_, runner):
        title = "x" * 16_000  # four pages and more per commit
        on_thread = 0
        for i in range(2000):
            body = insert_board(f"b{i}", f"C{i:05}", title)
            if runner.run_now(body) is None:
                on_thread += 1
                await runner.run(body)
        assert runner.loop_commits == 2000 - on_thread
        assert on_thread == 2000 // 257  # one in 257: the loop's run of 256, then the thread
        assert (path.parent / (path.name + "-wal")).stat().st_size < 12_000_000


async def test_the_async_engine_never_commits_on_the_loop() -> None:
    # PostgreSQL (and an in-memory SQLite): nothing may be waited for on the event loop.
    engine = create_engine("sqlite+aiosqlite:///:memory:")
    runner = transactions_for(engine, loop_share=1.0)
    assert runner.run_now(lambda conn: 1) is None
    await runner.close()
    await engine.dispose()


@pytest.mark.parametrize(("sync", "pragma_value"), [(SqliteSync.FULL, 2), (SqliteSync.NORMAL, 1)])
async def test_every_connection_syncs_as_asked(
    tmp_path: Path, sync: SqliteSync, pragma_value: int
) -> None:
    """The engine's connections, the commit thread's and the event loop's: one level for all,
    or a commit's durability would depend on which of them made it."""

    def synchronous(conn: Connection) -> int:
        return int(conn.exec_driver_sql("PRAGMA synchronous").scalar_one())

    async with loop_runner(tmp_path / f"{sync.value}.sqlite3", sync) as (engine, runner):
        async with engine.connect() as conn:
            assert await conn.run_sync(synchronous) == pragma_value
        assert await runner.run(synchronous) == pragma_value
        assert runner.run_now(synchronous) == (pragma_value,)
        assert runner.loop_commits == 1
