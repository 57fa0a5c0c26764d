"""HTTP endpoints of boards (docs/protocol.md section 2): create, read, join code, health."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from server.boards import stored_reading
from server.boards.creation import create_board
from server.boards.credentials import normalize_join_code
from server.boards.export.json_format import MAX_BOARD_TITLE
from server.boards.records import BoardRecord
from server.boards.templates.library import LOCALES, parameter_values
from server.errors import ArdoiseError, error_body
from server.http import inputs
from server.protocol import ErrorCode, Role

_MAX_TITLE_CHARS = MAX_BOARD_TITLE


async def post_board(request: Request) -> JSONResponse:
    services = inputs.services(request)
    inputs.storage_works(request)
    if not services.creation_limiter.allow(inputs.client_address(request)):
        raise ArdoiseError(ErrorCode.RATE_LIMITED, "too many boards created from this address")
    body = await inputs.json_body(request)
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
    locale = body.get("locale", inputs.locale(request))
    if locale not in LOCALES:
        raise ArdoiseError(ErrorCode.INVALID, f"locale must be one of {', '.join(LOCALES)}")
    parameters = body.get("parameters", {})
    if not isinstance(parameters, dict):
        raise ArdoiseError(ErrorCode.INVALID, "parameters must be an object")
    values = parameter_values(template, parameters, locale)
    created = await create_board(services.store, services.registry, template, title, locale, values)
    return JSONResponse(inputs.created_board_body(request, created), status_code=201)


async def get_board(request: Request) -> JSONResponse:
    board, role = await inputs.authorized_board(request)
    view = await inputs.stored_view(request, board.id)
    body = await inputs.services(request).workers.run(
        inputs.is_heavy(view), stored_reading.json_view, view, role
    )
    if role is Role.FACILITATOR:
        body["share"] = share_json(board, inputs.base_url(request))
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
    services = inputs.services(request)
    if not services.join_limiter.allow(inputs.client_address(request)):
        raise ArdoiseError(ErrorCode.RATE_LIMITED, "too many join attempts from this address")
    code = normalize_join_code(request.path_params["code"])
    board = await services.store.find_by_join_code(code) if code else None
    if board is not None and board.join_open:
        return JSONResponse(
            {"kind": "board", "boardId": board.id, "token": board.participant_token}
        )
    workshop = await services.workshop_store.find_by_join_code(code) if code else None
    if workshop is not None and workshop.join_open:
        # A workshop's code: the participant then picks a table (GET /api/workshops/{id}).
        return JSONResponse(
            {"kind": "workshop", "workshopId": workshop.id, "token": workshop.participant_token}
        )
    raise ArdoiseError(ErrorCode.NOT_FOUND, "this join code is unknown or closed")


async def healthz(request: Request) -> JSONResponse:
    """200 while storage works; 503 naming what is wrong, until it works again by itself."""
    services = inputs.services(request)
    fault = await services.storage_fault()
    if fault is not None:
        body = error_body(ErrorCode.UNAVAILABLE, f"storage is failing: {fault.message}")
        body["status"] = "failing"
        body["storage"] = {
            "fault": fault.kind.value,
            "since": services.storage_health.failing_since_ms,
        }
        return JSONResponse(body, status_code=503)
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
