"""HTTP endpoints of templates: the gallery, saving a board as a template, export and import
(renaming and deleting: server/http/template_owners.py)."""

from __future__ import annotations

from typing import Any

from pycrdt import Map
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from server.boards.file_problems import Wording
from server.boards.plain import plain_map
from server.boards.records import BoardRecord
from server.boards.templates.format import (
    LOCALES,
    MAX_BOARD_HEIGHT,
    MAX_BOARD_WIDTH,
    PALETTE,
    StaticZone,
    dump_static_template,
)
from server.boards.templates.problems import TemplateError
from server.errors import ArdoiseError
from server.http import inputs
from server.http.template_owners import (
    MAX_DESCRIPTION_CHARS,
    MAX_NAME_CHARS,
    entry,
    label,
    listing_owners,
    new_key,
)
from server.protocol import DocName, ErrorCode, Role
from server.storage.template_store import CustomTemplate

# A template is a few kilobytes of text; anything bigger is not one.
_MAX_FILE_BYTES = 64 * 1024
_FILE_TYPES = ("application/toml", "text/plain", "text/x-toml")
# Room left right and below the zones of a saved board, so that its last zone is not on the edge.
_MARGIN = 40

# Where a refused template came from, in the reason's language.
_UPLOADED_FILE = Wording("Fichier envoyé", "Uploaded file")
_THIS_BOARD = Wording("Ce tableau", "This board")

_DEFAULT_DESCRIPTION = {
    "fr": "Modèle enregistré depuis le tableau « {title} ».",
    "en": "Template saved from the board “{title}”.",
}


async def list_templates(request: Request) -> JSONResponse:
    """Shipped templates, then the custom ones the caller's keys own and those saved before keys
    existed (every one for the admin)."""
    locale = inputs.locale(request)
    owners = listing_owners(request)
    listed = await inputs.services(request).template_store.list_all(owners)
    return JSONResponse(
        [
            entry(t.template, locale, mine=owners is None or t.owner_sha256 in owners)
            if isinstance(t, CustomTemplate)
            else entry(t, locale, mine=False)
            for t in listed
        ]
    )


async def _facilitator_board(request: Request, board_id: str) -> BoardRecord:
    board, role = await inputs.board_for_token(request, board_id)
    if board is None or role is None:
        raise ArdoiseError(ErrorCode.UNAUTHORIZED, "this token does not open the board")
    if role is not Role.FACILITATOR:
        raise ArdoiseError(ErrorCode.FORBIDDEN, "only a facilitator can save or import templates")
    return board


def _limit(request: Request) -> None:
    inputs.storage_works(request)
    if not inputs.services(request).creation_limiter.allow(inputs.client_address(request)):
        raise ArdoiseError(ErrorCode.RATE_LIMITED, "too many templates created from this address")


def _static_zones(layout_zones: dict[str, Any]) -> list[StaticZone]:
    """The board's zones as fixed zones, texts copied to both languages, orders renumbered."""
    zones = []
    for zone_id, raw in layout_zones.items():
        rect = raw.get("rect") if isinstance(raw, dict) else None
        if not (isinstance(rect, list) and len(rect) == 4):
            continue  # not a drawable zone: nothing to keep
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in rect):
            continue
        order = raw.get("order", 0)
        zones.append((order if isinstance(order, int | float) else 0, str(zone_id), raw, rect))
    zones.sort(key=lambda z: (z[0], z[1]))

    def both(value: object) -> dict[str, str]:
        return dict.fromkeys(LOCALES, value if isinstance(value, str) else "")

    def color(value: object) -> str:
        return value if isinstance(value, str) and value in PALETTE else ""

    return [
        StaticZone(
            id=zone_id,
            title=both(raw.get("title")),
            hint=both(raw.get("hint")),
            rect=(float(rect[0]), float(rect[1]), float(rect[2]), float(rect[3])),
            color=color(raw.get("color")),
            order=index + 1,
            row=both(raw.get("row")),
            col=both(raw.get("col")),
        )
        for index, (_, zone_id, raw, rect) in enumerate(zones)
    ]


def _board_size(zones: list[StaticZone]) -> tuple[float, float]:
    """Just past the zones, within the maximum: a zone beyond it is reported by the checks."""
    if not zones:
        return (3000.0, 2000.0)
    right = max(z.rect[0] + z.rect[2] for z in zones) + _MARGIN
    bottom = max(z.rect[1] + z.rect[3] for z in zones) + _MARGIN
    return (float(min(right, MAX_BOARD_WIDTH)), float(min(bottom, MAX_BOARD_HEIGHT)))


async def save_board_as_template(request: Request) -> JSONResponse:
    services = inputs.services(request)
    board = await _facilitator_board(request, request.path_params["board_id"])
    body = await inputs.json_body(request)
    name = label(body, "name", MAX_NAME_CHARS, required=True) or ""
    description = label(body, "description", MAX_DESCRIPTION_CHARS)
    _limit(request)
    async with services.registry.borrowed(board.id) as room:
        layout = plain_map(room.doc(DocName.LAYOUT).get("zones", type=Map))
    zones = _static_zones(layout)
    descriptions = (
        dict.fromkeys(LOCALES, description)
        if description
        else {loc: text.format(title=board.title) for loc, text in _DEFAULT_DESCRIPTION.items()}
    )
    template_id = services.template_store.new_id(name)
    source = dump_static_template(template_id, name, descriptions, _board_size(zones), zones)
    key, owner = new_key()
    try:
        template = await services.template_store.add(source, _THIS_BOARD, template_id, owner)
    except TemplateError as problem:
        raise ArdoiseError(ErrorCode.INVALID, problem.text(inputs.locale(request))) from problem
    return JSONResponse({**entry(template, board.locale, mine=True), "key": key}, status_code=201)


async def _file_body(request: Request) -> str:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in _FILE_TYPES:
        raise ArdoiseError(
            ErrorCode.BAD_REQUEST, "send the template file as application/toml or text/plain"
        )
    body = await inputs.read_body(request, _MAX_FILE_BYTES)
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problem = TemplateError("template.notUtf8", _UPLOADED_FILE)
        raise ArdoiseError(ErrorCode.INVALID, problem.text(inputs.locale(request))) from exc


async def import_template(request: Request) -> JSONResponse:
    """Authorised by a facilitator token of any board (there are no accounts)."""
    board_id = request.headers.get("x-ardoise-board", "").strip()
    if not board_id:
        raise ArdoiseError(
            ErrorCode.UNAUTHORIZED,
            "send 'X-Ardoise-Board: <board id>' and that board's facilitator token",
        )
    await _facilitator_board(request, board_id)
    text = await _file_body(request)
    _limit(request)
    key, owner = new_key()
    store = inputs.services(request).template_store
    try:
        template = await store.add(text, _UPLOADED_FILE, owner_sha256=owner)
    except TemplateError as problem:
        raise ArdoiseError(ErrorCode.INVALID, problem.text(inputs.locale(request))) from problem
    locale = inputs.locale(request)
    return JSONResponse({**entry(template, locale, mine=True), "key": key}, status_code=201)


async def download_template(request: Request) -> Response:
    template_id = request.path_params["template_id"]
    template = await inputs.services(request).template_store.find(template_id)
    if template is None:
        raise ArdoiseError(ErrorCode.NOT_FOUND, "no template with this id")
    # Template ids are [a-z0-9-] (shipped: checked at load; custom: made by us): header-safe.
    return Response(
        template.source,
        media_type="application/toml; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{template.id}.toml"'},
    )


routes = [
    Route("/api/templates", list_templates, methods=["GET"]),
    Route("/api/templates", import_template, methods=["POST"]),
    Route("/api/templates/{template_id}/file", download_template, methods=["GET"]),
    Route("/api/boards/{board_id}/save-as-template", save_board_as_template, methods=["POST"]),
]
