"""HTTP endpoints of PROTOCOL.md section 2 (exports come with their own issue)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from server import http_input
from server.boards.creation import create_board
from server.boards.credentials import normalize_join_code
from server.boards.protocol import DocName, ErrorCode, Role
from server.boards.store import BoardRecord
from server.boards.templates import LOCALES, parameter_values
from server.boards.view import board_json
from server.errors import ArdoiseError

_MAX_TITLE_CHARS = 200


async def post_board(request: Request) -> JSONResponse:
    services = http_input.services(request)
    if not services.creation_limiter.allow(http_input.client_address(request)):
        raise ArdoiseError(ErrorCode.RATE_LIMITED, "too many boards created from this address")
    body = await http_input.json_body(request)
    title = body.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ArdoiseError(ErrorCode.INVALID, "title must be a non-empty string")
    title = title.strip()
    if len(title) > _MAX_TITLE_CHARS:
        raise ArdoiseError(ErrorCode.INVALID, f"title is over {_MAX_TITLE_CHARS} characters")
    template_id = body.get("template", "blank")
    template = (
        await services.template_store.find(template_id) if isinstance(template_id, str) else None
    )
    if template is None:
        raise ArdoiseError(ErrorCode.INVALID, f"unknown template {str(template_id)[:40]!r}")
    locale = body.get("locale", http_input.locale(request))
    if locale not in LOCALES:
        raise ArdoiseError(ErrorCode.INVALID, f"locale must be one of {', '.join(LOCALES)}")
    parameters = body.get("parameters", {})
    if not isinstance(parameters, dict):
        raise ArdoiseError(ErrorCode.INVALID, "parameters must be an object")
    values = parameter_values(template, parameters, locale)
    created = await create_board(services.store, services.registry, template, title, locale, values)
    return JSONResponse(http_input.created_board_body(request, created), status_code=201)


async def get_board(request: Request) -> JSONResponse:
    board, role = await http_input.authorized_board(request)
    registry = http_input.services(request).registry
    room = await registry.get(board.id)
    tallies = room.votes_visible_to(role)
    body = board_json(board.id, room.doc(DocName.LAYOUT), room.doc(DocName.NOTES), role, tallies)
    if room.is_empty:
        registry.release(room)
    if role is Role.FACILITATOR:
        body["share"] = share_json(board, http_input.base_url(request))
    return JSONResponse(body)


def share_json(board: BoardRecord, base: str) -> dict[str, Any]:
    """What a facilitator hands out again: the join code and the participant/observer links."""
    return {
        "joinCode": board.join_code,
        "joinOpen": board.join_open,
        "tokens": {"participant": board.participant_token, "observer": board.observer_token},
        "links": {
            "participant": f"{base}/b/{board.id}#token={board.participant_token}",
            "observer": f"{base}/b/{board.id}#token={board.observer_token}",
            "join": f"{base}/j/{board.join_code}",
        },
    }


async def get_join(request: Request) -> JSONResponse:
    services = http_input.services(request)
    if not services.join_limiter.allow(http_input.client_address(request)):
        raise ArdoiseError(ErrorCode.RATE_LIMITED, "too many join attempts from this address")
    code = normalize_join_code(request.path_params["code"])
    board = await services.store.find_by_join_code(code) if code else None
    if board is None or not board.join_open:
        raise ArdoiseError(ErrorCode.NOT_FOUND, "this join code is unknown or closed")
    return JSONResponse({"boardId": board.id, "token": board.participant_token})


async def healthz(request: Request) -> JSONResponse:
    services = http_input.services(request)
    if not await services.is_database_reachable():
        raise ArdoiseError(ErrorCode.UNAVAILABLE, "the database cannot be reached")
    return JSONResponse(
        {
            "status": "ok",
            "rooms": services.registry.room_count,
            "connections": services.realtime.connection_count,
        }
    )


routes = [
    Route("/api/boards", post_board, methods=["POST"]),
    Route("/api/boards/{board_id}", get_board, methods=["GET"]),
    Route("/api/join/{code}", get_join, methods=["GET"]),
    Route("/healthz", healthz, methods=["GET"]),
]
