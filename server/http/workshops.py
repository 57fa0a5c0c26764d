"""HTTP endpoints of workshops (docs/protocol.md section 2.10): create one, read it."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from server.boards.credentials import role_for_secret
from server.boards.templates.library import LOCALES
from server.boards.workshop_plan import read_plan
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
from server.protocol import ErrorCode, Role


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


routes = [
    Route("/api/workshops", post_workshop, methods=["POST"]),
    Route("/api/workshops/{workshop_id}", get_workshop, methods=["GET"]),
]
