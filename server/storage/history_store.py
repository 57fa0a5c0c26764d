"""HistoryStore: each board's earlier versions, compressed, thinned out as they age
(server/boards/history.py `versions_to_drop`)."""

from __future__ import annotations

import asyncio
import zlib
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from server.boards.history import NewVersion, StoredVersion, VersionSummary, versions_to_drop
from server.storage.tables import versions

# Yjs updates of notes compress to about a third; level 6 is zlib's usual trade.
_ZLIB_LEVEL = 6
_SUMMARY_COLUMNS = (
    versions.c.id,
    versions.c.created_at_ms,
    versions.c.reason,
    versions.c.made_by,
    versions.c.note_count,
    versions.c.size,
)


class HistoryStore:
    def __init__(
        self, engine: AsyncEngine, max_versions: int, max_bytes: int, keep_newest: int
    ) -> None:
        """At most `max_versions` per board, of at most `max_bytes` (uncompressed) in all; the
        newest `keep_newest` are never thinned out."""
        self._engine = engine
        self.max_versions = max_versions
        self.max_bytes = max_bytes
        self.keep_newest = keep_newest

    async def add(self, board_id: str, version: NewVersion) -> int:
        """Store a version, then thin out the board's history; returns the new version's id."""
        # Compressing a big board takes tens of milliseconds: off the event loop.
        layout, notes = await asyncio.to_thread(_compress, version.layout, version.notes)
        async with self._engine.begin() as conn:
            result = await conn.execute(
                insert(versions).values(
                    board_id=board_id,
                    created_at_ms=version.created_at_ms,
                    reason=version.reason[:32],
                    made_by=version.made_by[:200],
                    note_count=version.note_count,
                    size=version.size,
                    layout=layout,
                    notes=notes,
                )
            )
            key = result.inserted_primary_key
            assert key is not None, "an insert has a primary key"
            version_id = int(key[0])
            rows = await conn.execute(
                select(*_SUMMARY_COLUMNS).where(versions.c.board_id == board_id)
            )
            summaries = [_summary(row._asdict()) for row in rows]
            dropped = versions_to_drop(
                summaries, self.max_versions, self.max_bytes, self.keep_newest
            )
            if dropped:
                await conn.execute(delete(versions).where(versions.c.id.in_(dropped)))
        return version_id

    async def summaries(self, board_id: str) -> list[VersionSummary]:
        """The board's versions, newest first."""
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(*_SUMMARY_COLUMNS)
                .where(versions.c.board_id == board_id)
                .order_by(versions.c.created_at_ms.desc(), versions.c.id.desc())
            )
            return [_summary(row._asdict()) for row in rows]

    async def version(self, board_id: str, version_id: int) -> StoredVersion | None:
        async with self._engine.connect() as conn:
            row = (
                await conn.execute(
                    select(*_SUMMARY_COLUMNS, versions.c.layout, versions.c.notes).where(
                        versions.c.board_id == board_id, versions.c.id == version_id
                    )
                )
            ).first()
        if row is None:
            return None
        values = row._asdict()
        layout, notes = await asyncio.to_thread(
            _decompress, bytes(values["layout"]), bytes(values["notes"])
        )
        return StoredVersion(_summary(values), layout, notes)


def _compress(layout: bytes, notes: bytes) -> tuple[bytes, bytes]:
    return zlib.compress(layout, _ZLIB_LEVEL), zlib.compress(notes, _ZLIB_LEVEL)


def _decompress(layout: bytes, notes: bytes) -> tuple[bytes, bytes]:
    return zlib.decompress(layout), zlib.decompress(notes)


def _summary(row: dict[str, Any]) -> VersionSummary:
    return VersionSummary(
        id=int(row["id"]),
        created_at_ms=float(row["created_at_ms"]),
        reason=str(row["reason"]),
        made_by=str(row["made_by"]),
        note_count=int(row["note_count"]),
        size=int(row["size"]),
    )
