"""Bringing back a deleted note or an earlier version, as server edits through the room: everyone
connected sees it at once, and it is stored like any edit."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import Any

from pycrdt import Doc

from server.boards.history import (
    BEFORE_RESTORE,
    RESTORED,
    StoredVersion,
    match_groups,
    match_layout,
    match_notes,
    note_ids,
    note_weight,
    notes_to_match,
    read_version,
)
from server.boards.room import BoardRoom
from server.boards.trash import TrashEntry, write_back
from server.errors import ArdoiseError
from server.protocol import DocName, ErrorCode

# Notes compared per slice of a version restore (about 15 ms on the event loop for 250 notes of
# a big board), then the loop is let go: other boards keep going meanwhile.
_COMPARED_PER_SLICE = 250
# Bytes of note text written per edit, so that each update stays well under maxMessageBytes.
_CHUNK_BYTES = 256 * 1024


async def restore_note(room: BoardRoom, entry: TrashEntry) -> None:
    """Put a deleted note back with its id, content and position; stored once this returns.

    Refused (`conflict`) when a note with that id is on the board: it was restored already, or
    someone wrote a note under the same id since.
    """
    note_id = entry.deleted.note_id
    if note_id in room.note_ids():
        raise ArdoiseError(ErrorCode.CONFLICT, "a note with this id is on the board")
    stored = room.edit(DocName.NOTES, partial(write_back, note_id=note_id, note=entry.deleted.note))
    if stored is not None:
        await stored


async def restore_version(room: BoardRoom, version: StoredVersion, made_by: str) -> int | None:
    """Make the live documents equal to `version`, having kept the present as a version first.

    Returns the id of the version that keeps the present (None where nothing is archived).
    """
    kept = room.keep_version(BEFORE_RESTORE, made_by)
    kept_id = None if kept is None else await kept
    layout = read_version(version.layout)
    notes = read_version(version.notes)
    stored = room.edit(DocName.LAYOUT, partial(match_layout, version=layout))
    if stored is not None:
        await stored
    stored = room.edit(DocName.NOTES, partial(match_groups, version=notes))
    if stored is not None:
        await stored
    ids = sorted(note_ids(room.doc(DocName.NOTES)) | note_ids(notes))
    for start in range(0, len(ids), _COMPARED_PER_SLICE):
        differing = notes_to_match(
            room.doc(DocName.NOTES), notes, ids[start : start + _COMPARED_PER_SLICE]
        )
        for chunk in _chunks(differing, notes):
            stored = room.edit(DocName.NOTES, partial(match_notes, version=notes, note_ids=chunk))
            if stored is not None:
                await stored
        await asyncio.sleep(0)
    after = room.keep_version(RESTORED, made_by)
    if after is not None:
        await after
    return kept_id


def _chunks(note_ids: list[str], version: Doc[Any]) -> list[list[str]]:
    chunks: list[list[str]] = [[]]
    size = 0
    for note_id in note_ids:
        weight = note_weight(version, note_id)
        if chunks[-1] and size + weight > _CHUNK_BYTES:
            chunks.append([])
            size = 0
        chunks[-1].append(note_id)
        size += weight
    return [chunk for chunk in chunks if chunk]
