"""HTTP endpoints of workshops (docs/protocol.md section 2.10): create, read, rounds, overview,
broadcast."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from pycrdt import Doc
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from server.boards.credentials import role_for_secret
from server.boards.templates.library import LOCALES
from server.boards.workshop_overview import MAX_BROADCAST_CHARS, table_overview, write_broadcast
from server.boards.workshop_plan import read_plan
from server.boards.workshop_rounds import round_fields, start_round
from server.boards.workshops import (
    PLENARY,
    TABLE,
    CreatedWorkshop,
    WorkshopBoard,
    WorkshopRecord,
    create_workshop,
)
from server.errors import ArdoiseError
from server.http import inputs
from server.protocol import DocName, ErrorCode, Role


def _board_json(board: WorkshopBoard) -> dict[str, Any]:
    return {"boardId": board.board_id, "title": board.title, "question": board.question}


def _rounds_json(record: WorkshopRecord) -> list[dict[str, Any]]:
    return [
        {"label": r.label, "prompt": r.prompt, "durationMs": r.duration_ms} for r in record.rounds
    ]


def _links(base: str, record: WorkshopRecord, tokens: dict[str, str]) -> dict[str, str]:
    # Tokens ride in the fragment, which browsers never send to the server: no secret in logs.
    links = {role: f"{base}/w/{record.id}#token={token}" for role, token in tokens.items()}
    links["join"] = f"{base}/j/{record.join_code}"
    return links


def created_workshop_body(request: Request, created: CreatedWorkshop) -> dict[str, Any]:
    record = created.record
    tokens = {
        Role.FACILITATOR.value: created.facilitator_token,
        Role.PARTICIPANT.value: record.participant_token,
        Role.OBSERVER.value: record.observer_token,
    }
    return {
        "id": record.id,
        "title": record.title,
        "locale": record.locale,
        "joinCode": record.join_code,
        "tokens": tokens,
        "links": _links(inputs.base_url(request), record, tokens),
        "tables": [_board_json(b) for b in created.tables],
        "plenary": _board_json(created.plenary),
        "rounds": _rounds_json(record),
    }


async def post_workshop(request: Request) -> JSONResponse:
    services = inputs.services(request)
    inputs.storage_works(request)
    address = inputs.client_address(request)
    body = await inputs.json_body(request)
    locale = body.get("locale", inputs.locale(request))
    if locale not in LOCALES:
        raise ArdoiseError(ErrorCode.INVALID, f"locale must be one of {', '.join(LOCALES)}")
    plan = read_plan(body, locale)
    # Each of its boards counts as a board created: a workshop is no way around the limit.
    for _ in range(len(plan.tables) + 1):
        if not services.creation_limiter.allow(address):
            raise ArdoiseError(ErrorCode.RATE_LIMITED, "too many boards created from this address")
    created = await create_workshop(
        services.store,
        services.workshop_store,
        services.registry,
        services.template_store.find,
        plan,
    )
    return JSONResponse(created_workshop_body(request, created), status_code=201)


async def authorized_workshop(request: Request) -> tuple[WorkshopRecord, Role]:
    """The workshop of the path and the role the bearer token gives on it; wrong tokens count
    against the address as wrong board tokens do."""
    services = inputs.services(request)
    token = inputs.bearer(request)
    address = inputs.client_address(request)
    failures = services.token_failure_limiter
    if not failures.has_room(address):
        raise ArdoiseError(
            ErrorCode.RATE_LIMITED, "too many wrong tokens from this address: wait a minute"
        )
    record = await services.workshop_store.get_workshop(request.path_params["workshop_id"])
    role = None if record is None else role_for_secret(record, token)
    if role is None:
        failures.allow(address)
    if record is None:
        raise ArdoiseError(ErrorCode.NOT_FOUND, "no workshop with this id")
    if role is None:
        raise ArdoiseError(ErrorCode.UNAUTHORIZED, "this token does not open the workshop")
    return record, role


async def get_workshop(request: Request) -> JSONResponse:
    record, role = await authorized_workshop(request)
    held = await inputs.services(request).workshop_store.boards_of(record.id)
    body: dict[str, Any] = {
        "id": record.id,
        "title": record.title,
        "locale": record.locale,
        "role": role.value,
        "tables": [_board_json(b) for b in held if b.kind == TABLE],
        "plenary": next(_board_json(b) for b in held if b.kind == PLENARY),
        "rounds": _rounds_json(record),
    }
    if role is Role.FACILITATOR:
        tokens = {
            Role.PARTICIPANT.value: record.participant_token,
            Role.OBSERVER.value: record.observer_token,
        }
        body["share"] = {
            "joinCode": record.join_code,
            "joinOpen": record.join_open,
            "tokens": tokens,
            "links": _links(inputs.base_url(request), record, tokens),
        }
    return JSONResponse(body)


async def _edit_layouts(
    request: Request, board_ids: list[str], change: Callable[[Doc[Any]], None]
) -> None:
    """The same server edit of the layout of each board, at once; returns once all are stored."""
    registry = inputs.services(request).registry

    async def edit(board_id: str) -> None:
        async with registry.borrowed(board_id) as room:
            stored = room.edit(DocName.LAYOUT, change)
            if stored is not None:
                await room.durable(stored)

    await asyncio.gather(*(edit(board_id) for board_id in board_ids))


async def post_round_start(request: Request) -> JSONResponse:
    """Start round `index` on every table at once: the same timer end and prompt on each."""
    services = inputs.services(request)
    inputs.storage_works(request)
    record = await _facilitated(request)
    index = inputs.path_id(request, "index")
    if not 0 <= index < len(record.rounds):
        raise ArdoiseError(ErrorCode.NOT_FOUND, "no such round in this workshop")
    body = await inputs.json_body(request)
    lock_on_end = body.get("lockOnEnd", False)
    if not isinstance(lock_on_end, bool):
        raise ArdoiseError(ErrorCode.INVALID, "lockOnEnd must be true or false")
    planned = record.rounds[index]
    # One end for every table, whatever the order they are written in.
    ends_at = int(time.time() * 1000) + planned.duration_ms
    tables = [b for b in await services.workshop_store.boards_of(record.id) if b.kind == TABLE]

    await _edit_layouts(
        request,
        [table.board_id for table in tables],
        lambda doc: start_round(doc, index, planned, ends_at, lock_on_end),
    )
    return JSONResponse(
        {
            "round": {**round_fields(index, planned), "durationMs": planned.duration_ms},
            "endsAt": ends_at,
            "lockOnEnd": lock_on_end,
            "tables": len(tables),
        }
    )


async def _facilitated(request: Request) -> WorkshopRecord:
    record, role = await authorized_workshop(request)
    if role is not Role.FACILITATOR:
        raise ArdoiseError(ErrorCode.FORBIDDEN, "only the workshop's facilitator may do this")
    return record


async def get_overview(request: Request) -> JSONResponse:
    """Every table at a glance: people present, notes, timer, lock (the facilitator polls it)."""
    services = inputs.services(request)
    record = await _facilitated(request)
    tables = [b for b in await services.workshop_store.boards_of(record.id) if b.kind == TABLE]

    async def look_at(board: WorkshopBoard) -> dict[str, Any]:
        async with services.registry.borrowed(board.board_id) as room:
            return {**_board_json(board), **table_overview(room)}

    return JSONResponse(
        {
            "serverTime": int(time.time() * 1000),
            "tables": list(await asyncio.gather(*(look_at(t) for t in tables))),
        }
    )


async def post_broadcast(request: Request) -> JSONResponse:
    """A message from the lead facilitator to every table and the plenary at once."""
    services = inputs.services(request)
    inputs.storage_works(request)
    record = await _facilitated(request)
    body = await inputs.json_body(request)
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ArdoiseError(ErrorCode.INVALID, "text must be a non-empty string")
    text = text.strip()
    if len(text) > MAX_BROADCAST_CHARS:
        raise ArdoiseError(ErrorCode.INVALID, f"text is over {MAX_BROADCAST_CHARS} characters")
    at = int(time.time() * 1000)
    held = await services.workshop_store.boards_of(record.id)

    await _edit_layouts(
        request, [b.board_id for b in held], lambda doc: write_broadcast(doc, text, at)
    )
    return JSONResponse({"text": text, "at": at, "boards": len(held)})


routes = [
    Route("/api/workshops", post_workshop, methods=["POST"]),
    Route("/api/workshops/{workshop_id}", get_workshop, methods=["GET"]),
    Route("/api/workshops/{workshop_id}/overview", get_overview, methods=["GET"]),
    Route("/api/workshops/{workshop_id}/broadcast", post_broadcast, methods=["POST"]),
    Route("/api/workshops/{workshop_id}/rounds/{index}/start", post_round_start, methods=["POST"]),
]
