"""The schema brought up to date at start (server/storage/schema.py): a new database, one made
before revisions existed, two processes starting together, and one written by a newer version."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    MetaData,
    String,
    Table,
    insert,
    select,
    text,
)
from sqlalchemy.ext.asyncio import AsyncEngine

from server.storage.engine import create_engine
from server.storage.schema import (
    FIRST_REVISION,
    HEAD_REVISION,
    SchemaError,
    known_revisions,
    migrate,
)
from server.storage.tables import boards, metadata, updates
from tests.conftest import fresh_postgres_database
from tests.support.server_process import ServerProcess


@pytest.fixture
def database_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """An empty database of the test's own."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'schema.sqlite3'}"
        return
    with fresh_postgres_database("ardoise_schema") as url:
        yield url


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    made = create_engine(database_url)
    yield made
    await made.dispose()


# Tables that later revisions added (0002: identity_keys; 0003: trash, versions; 0004:
# snapshot_parts; 0006: workshops, workshop_boards; 0007: images) or changed (0005:
# custom_templates' owner, name and description).
_AFTER_0001 = frozenset(
    {
        "identity_keys",
        "trash",
        "versions",
        "snapshot_parts",
        "custom_templates",
        "images",
        "workshops",
        "workshop_boards",
    }
)


def _custom_templates_of_0001() -> Table:
    return Table(
        "custom_templates",
        MetaData(),
        Column("id", String(64), primary_key=True),
        Column("source", String, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
    )


def _schema_log(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "server.storage.schema"]


def _differences(connection: Connection) -> list[object]:
    return list(compare_metadata(MigrationContext.configure(connection), metadata))


def _revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


async def _inspect(engine: AsyncEngine) -> tuple[list[object], str | None]:
    async with engine.connect() as conn:
        return await conn.run_sync(_differences), await conn.run_sync(_revision)


def test_the_head_revision_is_the_newest_file_in_versions() -> None:
    # A server whose database is at HEAD_REVISION starts without loading Alembic.
    known, head = known_revisions()
    assert head == HEAD_REVISION and FIRST_REVISION in known


async def test_a_new_database_gets_exactly_the_models_schema(
    engine: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="server.storage.schema")
    await migrate(engine)
    assert await _inspect(engine) == ([], HEAD_REVISION)
    said = [f"database schema: revision (empty database) -> {HEAD_REVISION}"]
    assert _schema_log(caplog) == said
    await migrate(engine)  # at start, every time: nothing left to do, nothing said
    assert await _inspect(engine) == ([], HEAD_REVISION)
    assert _schema_log(caplog) == said


async def test_a_database_made_before_revisions_existed_keeps_its_boards(
    engine: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="server.storage.schema")
    async with engine.begin() as conn:
        # Tables straight from the models of that time (those of revision 0001), no revision.
        await conn.run_sync(
            lambda sync: metadata.create_all(
                sync, tables=[t for t in metadata.sorted_tables if t.name not in _AFTER_0001]
            )
        )
        await conn.run_sync(_custom_templates_of_0001().create)
        await conn.execute(
            insert(boards).values(
                id="b1",
                title="Atelier d'avant",
                template="blank",
                locale="fr",
                join_code="ABC123",
                join_open=True,
                facilitator_token_sha256="0" * 64,
                participant_token="p" * 43,
                observer_token="o" * 43,
                created_at=datetime.now(UTC),
            )
        )
        await conn.execute(insert(updates).values(board_id="b1", doc="notes", data=b"\x00"))
    await migrate(engine)
    assert await _inspect(engine) == ([], HEAD_REVISION)
    assert _schema_log(caplog) == [
        "database schema: tables made before revisions existed, kept as 0001",
        f"database schema: revision 0001 -> {HEAD_REVISION}",
    ]
    async with engine.connect() as conn:
        assert (await conn.execute(select(boards.c.title))).scalars().all() == ["Atelier d'avant"]
        assert (await conn.execute(select(updates.c.data))).scalars().all() == [b"\x00"]


async def test_servers_starting_together_on_one_database_all_start(database_url: str) -> None:
    # Redis mode: several server processes share one database (docs/deployment.md).
    engines = [create_engine(database_url) for _ in range(3)]
    try:
        await asyncio.gather(*(migrate(engine) for engine in engines))
        assert await _inspect(engines[0]) == ([], HEAD_REVISION)
    finally:
        for engine in engines:
            await engine.dispose()


async def test_a_database_written_by_a_newer_version_is_refused(
    engine: AsyncEngine, database_url: str, tmp_path: Path
) -> None:
    await migrate(engine)
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE alembic_version SET version_num = 'f00d'"))
    with pytest.raises(SchemaError, match="revision 'f00d', which this version of Ardoise"):
        await migrate(engine)
    await engine.dispose()
    # The server says so and does not serve.
    server = ServerProcess(tmp_path, database_url, {})
    with pytest.raises(RuntimeError, match="server did not start") as failed:
        server.start(timeout=15)
    assert "written by a newer version" in str(failed.value)
    server.stop()
