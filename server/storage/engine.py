"""The database engine: SQLite (embedded default) or PostgreSQL, both through SQLAlchemy async."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine.url import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from server.settings import SqliteSync


def sqlite_tuner(sync: SqliteSync) -> Callable[[Any, Any], None]:
    """The `connect` listener that sets up every SQLite connection of an engine."""

    def tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
        # WAL lets readers (room loads, healthz) run beside the writer.
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={sync.name}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    return tune_sqlite


# How much longer than a connection a single statement may take (loading a large board is one).
_STATEMENT_TIMEOUT_FACTOR = 6


def create_engine(
    database_url: str, sqlite_sync: SqliteSync = SqliteSync.FULL, timeout_s: float = 5.0
) -> AsyncEngine:
    """An engine for the URL; for SQLite the file's folder is created.

    With a network database every wait is bounded: a connection (and a free one from the pool)
    within `timeout_s`, a statement within a few times that, so that a database that stops
    answering makes requests fail instead of hang. SQLite waits only for another writer's lock,
    as long as its `busy_timeout`.
    """
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url)
        event.listen(engine.sync_engine, "connect", sqlite_tuner(sqlite_sync))
        return engine
    connect_args: dict[str, Any] = {}
    if url.get_driver_name() == "asyncpg":
        connect_args = {
            "timeout": timeout_s,
            "command_timeout": timeout_s * _STATEMENT_TIMEOUT_FACTOR,
        }
    return create_async_engine(
        url,
        pool_size=10,
        max_overflow=10,
        pool_pre_ping=True,
        pool_timeout=timeout_s,
        connect_args=connect_args,
    )
