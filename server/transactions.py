"""Runs a write transaction's body in one go: the storage hot path's only way to the database.

With SQLite through aiosqlite, every statement is a hop to aiosqlite's thread and back, and each
hop makes that thread wait for the GIL while the event loop is busy fanning out: measured at
200 participants and 25 writes/s, a 0.2-ms commit (begin, insert, commit, reset) took 20-30 ms
(BENCHMARKS.md). So for SQLite the whole body runs in a thread of its own, on a synchronous
connection to the same file: one hop per transaction (11-20 ms in the same run; the rest is the
event loop's own backlog). PostgreSQL (asyncpg) has no thread to hop
to; its body runs on the async engine through `run_sync`.

A body is a plain function of a synchronous SQLAlchemy `Connection`, written once for both.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Protocol, TypeVar

from sqlalchemy import Connection, Engine, event
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy.ext.asyncio import AsyncEngine

from server.db import tune_sqlite
from server.worker_thread import WorkerThread

T = TypeVar("T")


class TransactionRunner(Protocol):
    async def run(self, body: Callable[[Connection], T]) -> T:
        """Run `body` in one transaction: committed if it returns, rolled back if it raises."""
        ...

    async def close(self) -> None: ...


class AsyncEngineTransactions:
    """The body runs on the async engine (each statement awaited): for network databases."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def run(self, body: Callable[[Connection], T]) -> T:
        async with self._engine.begin() as conn:
            return await conn.run_sync(body)

    async def close(self) -> None:
        """The engine belongs to the caller."""


class SqliteThreadTransactions:
    """The body runs in one dedicated thread on its own connection: one hop per transaction.

    One thread and one connection, so transactions run one after the other in the order they
    were asked for, and never wait on each other for SQLite's write lock. The connection stays
    open between transactions: taking it from the pool and giving it back (with its reset) cost
    about 100 us of the thread's CPU per commit, a third of a one-update group commit.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        url = engine.url.set(drivername="sqlite+pysqlite")
        self._engine: Engine = create_sync_engine(url, pool_size=1, max_overflow=0)
        event.listen(self._engine, "connect", tune_sqlite)
        self._thread = WorkerThread("ardoise-sqlite")
        self._connection: Connection | None = None  # used in the thread only

    async def run(self, body: Callable[[Connection], T]) -> T:
        return await self._thread.run(partial(self._run, body))

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
        await self._thread.run(self._dispose)
        self._thread.stop()


def transactions_for(engine: AsyncEngine) -> TransactionRunner:
    """A thread of its own for an SQLite file; the async engine itself for anything else."""
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database and database != ":memory:":
        return SqliteThreadTransactions(engine)
    return AsyncEngineTransactions(engine)
