"""The database engine: SQLite (embedded default) or PostgreSQL, both through SQLAlchemy async."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine.url import make_url
from sqlalchemy.exc import SQLAlchemyError
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


def create_engine(database_url: str, sqlite_sync: SqliteSync = SqliteSync.FULL) -> AsyncEngine:
    """An engine for the URL; for SQLite the file's folder is created."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url)
        event.listen(engine.sync_engine, "connect", sqlite_tuner(sqlite_sync))
        return engine
    return create_async_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True)


async def is_reachable(engine: AsyncEngine) -> bool:
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError, TimeoutError):
        return False
    return True
