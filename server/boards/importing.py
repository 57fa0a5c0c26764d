"""Imports written into a board through its room: a restored board file, notes of a spreadsheet."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from secrets import token_urlsafe
from typing import Any

from pycrdt import Doc

from server.boards.board_snapshot import BoardSnapshot, Note
from server.boards.creation import BoardRecords, CreatedBoard, create_board
from server.boards.export import restore
from server.boards.export.csv_import import ImportedNote
from server.boards.export.placement import Placer
from server.boards.registry import RoomRegistry
from server.boards.room import BoardRoom
from server.boards.templates.library import Template
from server.protocol import DocName

# Notes written per server edit, so that each update stays well under maxMessageBytes.
_CHUNK_TEXT_BYTES = 256 * 1024
# A board file is refused when its notes alone would take this share of maxBoardBytes: the
# restored board must still have room to be worked on.
_MAX_SHARE_OF_BOARD = 0.9


def fits_in_board(notes: list[Note], max_board_bytes: int) -> bool:
    """Judged before anything is created: a refused import leaves no half board behind."""
    doc: Doc[Any] = Doc()
    restore.write_notes(doc, notes)
    return len(doc.get_update()) <= max_board_bytes * _MAX_SHARE_OF_BOARD


async def restore_board(
    records: BoardRecords,
    registry: RoomRegistry,
    template: Template,
    title: str,
    board: BoardSnapshot,
) -> CreatedBoard:
    """A new board (new id, secrets, join code) with the layout and notes of a board file."""
    created = await create_board(records, registry, template, title, board.locale)
    async with registry.borrowed(created.record.id) as room:
        stored = room.edit(DocName.LAYOUT, partial(restore.write_layout, board=board))
        if stored is not None:
            await room.durable(stored)
        if board.groups:
            stored = room.edit(DocName.NOTES, partial(restore.write_groups, groups=board.groups))
            if stored is not None:
                await room.durable(stored)
        await add_notes(room, list(board.notes))
    return created


def placed_notes(board: BoardSnapshot, imported: list[ImportedNote]) -> list[Note]:
    """Notes of a spreadsheet as new notes of the board: in their zone, on no other note, on top."""
    placer = Placer(board.zones, [n.rect for n in board.notes if n.rect])
    top = max((n.z for n in board.notes), default=0.0)
    now = datetime.now(UTC).timestamp() * 1000
    return [
        Note(
            id=new_note_id(),
            text=item.text,
            rect=placer.in_zone(item.zone) if item.zone else placer.free_area(),
            color=item.color,
            author=item.author,
            author_id="",
            created_at=now,
            z=top + i + 1,
        )
        for i, item in enumerate(imported)
    ]


def new_note_id() -> str:
    """The same shape as the clients' ids: short random URL-safe strings."""
    return token_urlsafe(9)


async def add_notes(room: BoardRoom, notes: list[Note]) -> None:
    """Write notes through the room, a chunk per edit, each one stored before the next."""
    for chunk in _chunks(notes):
        stored = room.edit(DocName.NOTES, partial(restore.write_notes, notes=chunk))
        if stored is not None:
            await room.durable(stored)


def _chunks(notes: list[Note]) -> list[list[Note]]:
    chunks: list[list[Note]] = [[]]
    size = 0
    for note in notes:
        weight = len(note.text.encode("utf-8", "replace")) + 256
        if chunks[-1] and size + weight > _CHUNK_TEXT_BYTES:
            chunks.append([])
            size = 0
        chunks[-1].append(note)
        size += weight
    return [c for c in chunks if c]
