"""The database schema, brought up to date when the server starts (Alembic, server/migrations).

Why: a team that upgrades Ardoise keeps its boards. Each change to `server/models.py` comes with
a revision; the server applies the ones its database lacks, in one transaction, before serving.
A database made before revisions existed (tables made directly from the models) is recognised
and marked as the first revision. A database written by a newer Ardoise is refused rather than
served by code that does not know its tables.
"""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
FIRST_REVISION = "0001"
# Server processes on one PostgreSQL database (Redis mode) start together: one migrates, the
# others wait for it, then find nothing to do. Any constant, the same in every process.
_MIGRATION_LOCK = 0x4152444F


class SchemaError(RuntimeError):
    """The database cannot be brought to this version's schema; the message says why."""


async def migrate(engine: AsyncEngine) -> None:
    """Apply the revisions the database lacks (all of them for a new one)."""
    async with engine.begin() as conn:
        await conn.run_sync(_upgrade)


def head_revision() -> str:
    """The revision this version of Ardoise writes."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None, "server/migrations/versions holds no revision"
    return head


def _config(connection: Connection | None = None) -> Config:
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
    config = _config(connection)
    known = {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}
    current = MigrationContext.configure(connection).get_current_revision()
    if current is not None and current not in known:
        raise SchemaError(
            f"the database's schema is revision {current!r}, which this version of Ardoise does "
            f"not know (it knows up to {head_revision()!r}): it was written by a newer version; "
            "run that version, or restore a backup made before the upgrade"
        )
    if current is None and inspect(connection).has_table("boards"):
        command.stamp(config, FIRST_REVISION)
        current = FIRST_REVISION
    command.upgrade(config, "head")
    head = MigrationContext.configure(connection).get_current_revision()
    if head != current:
        log.info("database schema: revision %s -> %s", current or "(empty database)", head)
