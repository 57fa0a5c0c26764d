"""Runs a write transaction's body in one go: the storage hot path's only way to the database.

With SQLite through aiosqlite, every statement is a hop to aiosqlite's thread and back, and each
hop makes that thread wait for the GIL while the event loop is busy fanning out: under a
workshop's load, a commit of a fraction of a millisecond (begin, insert, commit, reset) takes tens
of milliseconds. So for SQLite the whole body runs in a thread of its own, on a synchronous
connection to the same file: one hop per transaction, which halves the commit's time
(BENCHMARKS.md, What changed the figures, 2026-11-23 11:30; the rest is the event loop's own
backlog). PostgreSQL (asyncpg) has no thread to hop to; its body runs on the async engine through
`run_sync`.

A group commit may also run at once on the event loop itself (`run_now`), when the commit thread
is idle and the disk answers fast: the write is then acknowledged in the turn that received it,
before its fan-out, where a hand-off made the acknowledgement wait for that fan-out's drain and
three more turns of the loop (BENCHMARKS.md). `LoopShare` bounds the loop's time spent so.

A body is a plain function of a synchronous SQLAlchemy `Connection`, written once for both.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from typing import Any, Protocol, TypeVar

from sqlalchemy import Connection, Engine, event
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy.ext.asyncio import AsyncEngine

from server.settings import SqliteSync
from server.storage.engine import sqlite_tuner
from server.storage.loop_share import LoopShare
from server.storage.worker_thread import WorkerThread

T = TypeVar("T")


class TransactionRunner(Protocol):
    async def run(self, body: Callable[[Connection], T]) -> T:
        """Run `body` in one transaction: committed if it returns, rolled back if it raises."""
        ...

    def run_now(self, body: Callable[[Connection], T]) -> tuple[T] | None:
        """Run `body` in one transaction right here, on the event loop, when that is cheap and
        nothing else is writing: (its result,) once committed; None when it did not run or did
        not commit (the caller then hands it to `run`, which deals with every error)."""
        ...

    async def close(self) -> None: ...


class AsyncEngineTransactions:
    """The body runs on the async engine (each statement awaited): for network databases."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def run(self, body: Callable[[Connection], T]) -> T:
        async with self._engine.begin() as conn:
            return await conn.run_sync(body)

    def run_now(self, body: Callable[[Connection], T]) -> tuple[T] | None:
        """A network database cannot be waited for on the event loop."""
        return None

    async def close(self) -> None:
        """The engine belongs to the caller."""


class SqliteThreadTransactions:
    """The body runs in one dedicated thread on its own connection: one hop per transaction.

    One thread and one connection, so transactions run one after the other in the order they
    were asked for, and never wait on each other for SQLite's write lock. The connection stays
    open between transactions: taking it from the pool and giving it back (with its reset) is a
    large share of a one-update group commit's CPU on the thread (BENCHMARKS.md, What changed the
    figures, 2026-11-30 02:00).
    """

    def __init__(
        self,
        engine: AsyncEngine,
        loop_share: LoopShare | None = None,
        sync: SqliteSync = SqliteSync.FULL,
    ) -> None:
        url = engine.url.set(drivername="sqlite+pysqlite")
        self._engine: Engine = create_sync_engine(url, pool_size=1, max_overflow=0)
        event.listen(self._engine, "connect", sqlite_tuner(sync))
        self._thread = WorkerThread("ardoise-sqlite")
        self._connection: Connection | None = None  # used in the thread only
        self._in_thread = 0  # transactions handed to the thread and not finished
        # The event loop's own connection, for `run_now`.
        self._loop_engine: Engine = create_sync_engine(url, pool_size=1, max_overflow=0)
        event.listen(self._loop_engine, "connect", _loop_connection_tuner(sync))
        self._loop_connection: Connection | None = None
        self._loop_share = loop_share or LoopShare(0.0)
        self._loop_commits_left = _LOOP_COMMITS_PER_CHECKPOINT
        self.loop_commits = 0  # for tests and benchmarks

    async def run(self, body: Callable[[Connection], T]) -> T:
        self._in_thread += 1
        try:
            return await self._thread.run(partial(self._run, body))
        finally:
            self._in_thread -= 1

    def run_now(self, body: Callable[[Connection], T]) -> tuple[T] | None:
        """On the loop's own connection, which never waits for a lock (`busy_timeout` 0): when
        another connection or process is writing, SQLite says so at once and the thread does it.
        Never while the thread has a transaction: the two would only contend for the lock.

        Every `_LOOP_COMMITS_PER_CHECKPOINT`-th commit goes to the thread on purpose: the loop's
        connection never checkpoints the WAL (a checkpoint copies it into the database and
        syncs that, too long to block the loop), the thread's does, past 1,000 pages.
        """
        if self._in_thread or not self._loop_share.allows(time.perf_counter()):
            return None
        if self._loop_commits_left <= 0:
            self._loop_commits_left = _LOOP_COMMITS_PER_CHECKPOINT
            return None
        try:
            conn = self._loop_connection
            if conn is None:  # once; not counted as commit time
                conn = self._loop_connection = self._loop_engine.connect()
            started = time.perf_counter()
            try:
                with conn.begin():
                    result = body(conn)
            finally:
                self._loop_share.spent(started, time.perf_counter())
        except Exception:  # noqa: BLE001  # rolled back; `run` meets it again and deals with it
            return None
        self._loop_commits_left -= 1
        self.loop_commits += 1
        return (result,)

    def _run(self, body: Callable[[Connection], T]) -> T:
        conn = self._connection
        if conn is None:
            conn = self._connection = self._engine.connect()
        try:
            with conn.begin():
                return body(conn)
        except BaseException:
            # After a failure the next transaction starts on a fresh connection.
            self._connection = None
            conn.close()
            raise

    def _dispose(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        self._engine.dispose()

    async def close(self) -> None:
        if self._loop_connection is not None:
            self._loop_connection.close()
        self._loop_engine.dispose()
        await self._thread.run(self._dispose)
        self._thread.stop()


# At 100 writes/s on the loop, the thread checkpoints about every 3 s.
_LOOP_COMMITS_PER_CHECKPOINT = 256


def _loop_connection_tuner(sync: SqliteSync) -> Callable[[Any, Any], None]:
    tune_sqlite = sqlite_tuner(sync)

    def tune_loop_connection(dbapi_connection: Any, record: Any) -> None:
        tune_sqlite(dbapi_connection, record)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout=0")
        cursor.execute("PRAGMA wal_autocheckpoint=0")
        cursor.close()

    return tune_loop_connection


def transactions_for(
    engine: AsyncEngine, loop_share: float = 0.0, sqlite_sync: SqliteSync = SqliteSync.FULL
) -> TransactionRunner:
    """A thread of its own for an SQLite file (and, up to `loop_share` of the event loop's
    time, commits on the loop), its connections synced as `sqlite_sync` says (as the engine's
    own: `server.storage.engine.create_engine`); the async engine itself for anything else."""
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database and database != ":memory:":
        return SqliteThreadTransactions(engine, LoopShare(loop_share), sqlite_sync)
    return AsyncEngineTransactions(engine)
