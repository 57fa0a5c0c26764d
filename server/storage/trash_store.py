"""TrashStore: the notes deleted from each board, with their last content, at most `max_entries`
per board (the oldest dropped first)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from server.boards.trash import DeletedNote, Deleter, TrashEntry
from server.storage.tables import trash

# Column widths (server/storage/tables.py): longer values are cut, never refused.
_AUTHOR_ID_CHARS = 64
_NAME_CHARS = 80
_ROLE_CHARS = 16
_NOTE_ID_CHARS = 255


class TrashStore:
    def __init__(self, engine: AsyncEngine, max_entries: int) -> None:
        self._engine = engine
        self.max_entries = max_entries

    async def add(self, board_id: str, notes: Sequence[DeletedNote]) -> None:
        """Store deleted notes, then drop the board's oldest entries past `max_entries`."""
        rows = [_row(board_id, note) for note in notes]
        async with self._engine.begin() as conn:
            await conn.execute(insert(trash), rows)
            oldest_kept = (
                await conn.execute(
                    select(trash.c.id)
                    .where(trash.c.board_id == board_id)
                    .order_by(trash.c.id.desc())
                    .offset(self.max_entries - 1)
                    .limit(1)
                )
            ).scalar()
            if oldest_kept is not None:
                await conn.execute(
                    delete(trash).where(trash.c.board_id == board_id, trash.c.id < oldest_kept)
                )

    async def entries(self, board_id: str, author_id: str | None = None) -> list[TrashEntry]:
        """The board's deleted notes, newest first; only those of `author_id` when given."""
        query = select(trash).where(trash.c.board_id == board_id)
        if author_id is not None:
            query = query.where(trash.c.author_id == author_id[:_AUTHOR_ID_CHARS])
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query.order_by(trash.c.id.desc()))).all()
        return [_entry(row._asdict()) for row in rows]

    async def entry(self, board_id: str, entry_id: int) -> TrashEntry | None:
        async with self._engine.connect() as conn:
            row = (
                await conn.execute(
                    select(trash).where(trash.c.board_id == board_id, trash.c.id == entry_id)
                )
            ).first()
        return None if row is None else _entry(row._asdict())

    async def remove(self, board_id: str, entry_id: int) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(
                delete(trash).where(trash.c.board_id == board_id, trash.c.id == entry_id)
            )

    async def count(self, board_id: str) -> int:
        async with self._engine.connect() as conn:
            query = select(func.count()).where(trash.c.board_id == board_id)
            return int((await conn.execute(query)).scalar_one())


def _row(board_id: str, note: DeletedNote) -> dict[str, Any]:
    return {
        "board_id": board_id,
        "note_id": note.note_id[:_NOTE_ID_CHARS],
        "author_id": note.author_id[:_AUTHOR_ID_CHARS],
        "content": json.dumps(note.note, ensure_ascii=False, allow_nan=False),
        "deleted_at_ms": note.deleted_at_ms,
        "deleted_by_id": note.deleted_by.participant_id[:_AUTHOR_ID_CHARS],
        "deleted_by_name": note.deleted_by.name[:_NAME_CHARS],
        "deleted_by_role": note.deleted_by.role[:_ROLE_CHARS],
    }


def _entry(row: dict[str, Any]) -> TrashEntry:
    content = json.loads(row["content"])
    return TrashEntry(
        id=int(row["id"]),
        deleted=DeletedNote(
            note_id=row["note_id"],
            note=content if isinstance(content, dict) else {},
            deleted_by=Deleter(
                row["deleted_by_id"], row["deleted_by_name"], row["deleted_by_role"]
            ),
            deleted_at_ms=float(row["deleted_at_ms"]),
        ),
    )
