"""Facilitators' HTTP controls: the join code, duplicating a board (the rest is in `layout`)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from server.boards.creation import duplicate_board
from server.boards.export.json_format import MAX_BOARD_TITLE
from server.errors import ArdoiseError
from server.http import inputs
from server.protocol import ErrorCode, Role


async def set_join_code(request: Request) -> JSONResponse:
    """Close the join code (links keep working) or open it again."""
    board, role = await inputs.authorized_board(request)
    if role is not Role.FACILITATOR:
        raise ArdoiseError(ErrorCode.FORBIDDEN, "only facilitators open or close the join code")
    body = await inputs.json_body(request)
    is_open = body.get("open")
    if not isinstance(is_open, bool):
        raise ArdoiseError(ErrorCode.INVALID, "open must be true or false")
    inputs.storage_works(request)
    await inputs.services(request).store.set_join_open(board.id, is_open)
    return JSONResponse({"joinCode": board.join_code, "joinOpen": is_open})


# Same bound as a new board's title (POST /api/boards).
_MAX_TITLE_CHARS = MAX_BOARD_TITLE


async def duplicate(request: Request) -> JSONResponse:
    """A copy of the board for another session: `{title?, withNotes?}` -> the new board."""
    board, role = await inputs.authorized_board(request)
    if role is not Role.FACILITATOR:
        raise ArdoiseError(ErrorCode.FORBIDDEN, "only facilitators duplicate a board")
    body = await inputs.json_body(request)
    title = body.get("title", f"{board.title} (copie)")
    if not isinstance(title, str) or not title.strip() or len(title.strip()) > _MAX_TITLE_CHARS:
        raise ArdoiseError(ErrorCode.INVALID, f"title must be 1 to {_MAX_TITLE_CHARS} characters")
    with_notes = body.get("withNotes", True)
    if not isinstance(with_notes, bool):
        raise ArdoiseError(ErrorCode.INVALID, "withNotes must be true or false")
    services = inputs.services(request)
    inputs.storage_works(request)
    if not services.creation_limiter.allow(inputs.client_address(request)):
        raise ArdoiseError(ErrorCode.RATE_LIMITED, "too many boards created from this address")
    async with services.registry.borrowed(board.id) as source_room:
        created = await duplicate_board(
            services.store, services.registry, board, source_room, title.strip(), with_notes
        )
    if with_notes:
        # Image notes keep their pictures: the copy's own, under the same ids.
        await services.images.put(created.record.id, await services.images.of_board(board.id))
    return JSONResponse(inputs.created_board_body(request, created), status_code=201)


routes = [
    Route("/api/boards/{board_id}/duplicate", duplicate, methods=["POST"]),
    Route("/api/boards/{board_id}/join-code", set_join_code, methods=["POST"]),
]
