"""The database schema, brought up to date when the server starts (Alembic revisions in
server/storage/migrations).

Why: a team that upgrades Ardoise keeps its boards. Each change to `server/storage/tables.py`
comes with a revision; the server applies the ones its database lacks, in one transaction,
before serving.
A database made before revisions existed (tables made directly from the models) is recognised
and marked as the first revision. A database written by a newer Ardoise is refused rather than
served by code that does not know its tables. A database already at this version's revision,
the usual start, is only read: Alembic (a heavy import) is not even loaded.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
FIRST_REVISION = "0001"
# The newest revision in migrations/versions (tests/integration/test_schema.py checks it).
HEAD_REVISION = "0007"
# Server processes on one PostgreSQL database (Redis mode) start together: one migrates, the
# others wait for it, then find nothing to do. Any constant, the same in every process.
_MIGRATION_LOCK = 0x4152444F


# Starting processes that find a new SQLite file locked by another's switch to WAL retry this often.
_FIRST_CONNECT_ATTEMPTS = 50
_FIRST_CONNECT_PAUSE_S = 0.1


class SchemaError(RuntimeError):
    """The database cannot be brought to this version's schema; the message says why."""


async def migrate(engine: AsyncEngine) -> None:
    """Apply the revisions the database lacks (all of them for a new one)."""
    for attempt in range(_FIRST_CONNECT_ATTEMPTS):
        try:
            async with engine.begin() as conn:
                await conn.run_sync(_upgrade)
            return
        except OperationalError as exc:
            # Processes opening a new SQLite file together all switch it to WAL at connect, and
            # SQLite refuses all but one of them at once ("database is locked"): try again.
            if not _is_sqlite_lock(engine, exc) or attempt == _FIRST_CONNECT_ATTEMPTS - 1:
                raise
            await asyncio.sleep(_FIRST_CONNECT_PAUSE_S)


def _is_sqlite_lock(engine: AsyncEngine, exc: OperationalError) -> bool:
    return engine.dialect.name == "sqlite" and "database is locked" in str(exc.orig)


def stored_revision(connection: Connection) -> str | None:
    """The database's revision; None for a database without one (new, or made before them)."""
    if not inspect(connection).has_table("alembic_version"):  # where Alembic records it
        return None
    value = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return None if value is None else str(value)


def known_revisions() -> tuple[set[str], str]:
    """Every revision in migrations/versions, and the newest."""
    from alembic.script import ScriptDirectory  # only when upgrading

    script = ScriptDirectory.from_config(_config())
    head = script.get_current_head()
    assert head is not None, "server/storage/migrations/versions holds no revision"
    return {revision.revision for revision in script.walk_revisions()}, head


def _config(connection: Connection | None = None) -> Config:
    from alembic.config import Config  # only when upgrading

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _upgrade(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
    elif connection.dialect.name == "sqlite":
        # The driver leaves DDL outside any transaction: open one, holding the write lock from
        # the start, so that a failed revision changes nothing and a second process waits.
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    current = stored_revision(connection)
    if current == HEAD_REVISION:
        return
    from alembic import command  # only when upgrading

    known, head = known_revisions()
    if current is not None and current not in known:
        raise SchemaError(
            f"the database's schema is revision {current!r}, which this version of Ardoise does "
            f"not know (it knows up to {head!r}): it was written by a newer version; run that "
            "version, or restore a backup made before the upgrade"
        )
    config = _config(connection)
    if current is None and inspect(connection).has_table("boards"):
        command.stamp(config, FIRST_REVISION)
        current = FIRST_REVISION
        log.info("database schema: tables made before revisions existed, kept as %s", current)
    if current != head:
        command.upgrade(config, "head")
        log.info("database schema: revision %s -> %s", current or "(empty database)", head)
