"""The trash of deleted notes (docs/protocol.md section 2.8): the facilitator lists and restores
every deleted note, a participant only their own, an observer nothing."""

from __future__ import annotations

from typing import Any

from pycrdt import Map
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from server.boards.records import BoardRecord
from server.boards.restoring import restore_note
from server.boards.trash import TrashEntry, may_see
from server.errors import ArdoiseError
from server.http import inputs
from server.protocol import DocName, ErrorCode, Role


async def _caller(request: Request) -> tuple[BoardRecord, Role, str | None]:
    """The board, the caller's role and, for a participant, the id their credential proves."""
    board, role = await inputs.authorized_board(request)
    if role is Role.OBSERVER:
        raise ArdoiseError(ErrorCode.FORBIDDEN, "observers have no trash")
    participant = None
    if role is Role.PARTICIPANT:
        participant = await inputs.participant_id(request, board)
    return board, role, participant


async def list_trash(request: Request) -> JSONResponse:
    board, role, participant = await _caller(request)
    services = inputs.services(request)
    author = None if role is Role.FACILITATOR else participant
    entries = await services.archive.trash.entries(board.id, author_id=author)
    async with services.registry.borrowed(board.id) as room:
        on_board = room.note_ids()
        meta = room.doc(DocName.LAYOUT).get("meta", type=Map)
        anonymous = meta.get("anonymous") is True
    # On an anonymous board a participant does not learn who deleted their note.
    hide_deleter = anonymous and role is not Role.FACILITATOR
    body = [
        _entry_json(entry, entry.deleted.note_id in on_board, hide_deleter)
        for entry in entries
        if may_see(role, participant, entry.deleted.author_id)
    ]
    return JSONResponse({"entries": body, "maxEntries": services.archive.trash.max_entries})


async def restore(request: Request) -> JSONResponse:
    board, role, participant = await _caller(request)
    entry_id = inputs.path_id(request, "entry_id")
    inputs.storage_works(request)
    services = inputs.services(request)
    entry = await services.archive.trash.entry(board.id, entry_id)
    # Someone else's entry is answered as no entry at all: its existence is not theirs to know.
    if entry is None or not may_see(role, participant, entry.deleted.author_id):
        raise ArdoiseError(ErrorCode.NOT_FOUND, "no such note in your trash")
    async with services.registry.borrowed(board.id) as room:
        if role is Role.PARTICIPANT and room.is_locked:
            raise ArdoiseError(ErrorCode.BOARD_LOCKED, "the board is locked by the facilitator")
        await restore_note(room, entry)
    await services.archive.trash.remove(board.id, entry_id)
    return JSONResponse({"restored": entry_id, "noteId": entry.deleted.note_id})


def _entry_json(entry: TrashEntry, on_board: bool, hide_deleter: bool) -> dict[str, Any]:
    deleted = entry.deleted
    by = deleted.deleted_by
    return {
        "id": entry.id,
        "noteId": deleted.note_id,
        "note": deleted.note,
        "deletedAt": deleted.deleted_at_ms,
        "deletedBy": {"name": "" if hide_deleter else by.name, "role": by.role},
        "onBoard": on_board,
    }


routes = [
    Route("/api/boards/{board_id}/trash", list_trash, methods=["GET"]),
    Route("/api/boards/{board_id}/trash/{entry_id}/restore", restore, methods=["POST"]),
]
