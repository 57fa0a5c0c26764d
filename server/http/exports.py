"""HTTP endpoints of exports, imports and publishing to YesWiki (docs/exports.md)."""

from __future__ import annotations

import asyncio
import json
import re
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from secrets import token_urlsafe
from typing import Any
from urllib.parse import quote

from pycrdt import Doc
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from server.boards.board_snapshot import BoardSnapshot, Note, read_board
from server.boards.creation import create_board
from server.boards.export import (
    csv_export,
    csv_import,
    json_format,
    markdown,
    pdf,
    png,
    restore,
    yeswiki,
    yeswiki_publish,
)
from server.boards.export.labels import format_date
from server.boards.export.model import ExportModel, build_model
from server.boards.export.placement import Placer
from server.boards.export.text import clean_line
from server.boards.file_problems import FileProblem
from server.boards.records import BoardRecord
from server.boards.room import BoardRoom
from server.errors import ArdoiseError
from server.http import inputs
from server.protocol import DocName, ErrorCode, Role

# A board file of 5,000 long notes is a few MB; a prepared spreadsheet much less.
_MAX_JSON_BYTES = 16 * 1024 * 1024
_MAX_CSV_BYTES = 2 * 1024 * 1024
_MAX_RECORD_TITLE = 200
# Notes written per server edit, so that each update stays well under maxMessageBytes.
_CHUNK_TEXT_BYTES = 256 * 1024


class WikiError(ArdoiseError):
    """The wiki did not publish: a bad gateway (502), not a fault of this server. Its body also
    says why as a key and whether the entry may exist all the same, so that a client need not
    read the words (docs/exports.md)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(ErrorCode.UNAVAILABLE, message)
        self.reason = reason

    @property
    def status(self) -> int:
        return 502

    def body(self) -> dict[str, Any]:
        body = super().body()
        body["error"]["wiki"] = {
            "reason": self.reason,
            "mayExist": self.reason in yeswiki_publish.MAY_EXIST,
        }
        return body


Renderer = Callable[[BoardSnapshot, ExportModel, dict[str, int] | None, datetime], bytes]

# format -> (media type, file extension, renderer); the renderers are pure and run in a thread.
FORMATS: dict[str, tuple[str, str, Renderer]] = {
    "yeswiki": (
        "text/plain; charset=utf-8",
        "yeswiki.txt",
        lambda _b, model, _v, _t: yeswiki.render(model).encode("utf-8"),
    ),
    "markdown": (
        "text/markdown; charset=utf-8",
        "md",
        lambda _b, model, _v, _t: markdown.render(model).encode("utf-8"),
    ),
    "csv": ("text/csv; charset=utf-8", "csv", lambda _b, model, _v, _t: csv_export.render(model)),
    "json": (
        "application/json",
        "json",
        lambda board, _m, votes, moment: json_format.render(board, votes, moment),
    ),
    "pdf": ("application/pdf", "pdf", lambda _b, model, _v, _t: pdf.render(model)),
    "png": ("image/png", "png", lambda board, model, _v, _t: png.render(board, model)),
}


# ---- helpers ---------------------------------------------------------------------------------


def _slug(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:60].strip("-")
    return slug or "tableau"


def content_disposition(title: str, moment: datetime, extension: str) -> str:
    """`attachment` with an ASCII file name, and the accented one per RFC 5987 / RFC 6266."""
    day = moment.strftime("%Y-%m-%d")
    readable = re.sub(r'[\\/:*?"<>|]+', " ", clean_line(title))[:80].strip() or "tableau"
    utf8 = quote(f"{readable} {day}.{extension}", safe="")
    return f"attachment; filename=\"{_slug(title)}-{day}.{extension}\"; filename*=UTF-8''{utf8}"


def _shown_votes(room: BoardRoom) -> dict[str, int] | None:
    """Tallies only once everyone may see them (revealed, or an open vote): an export can be
    made by anyone and published, so it never shows what a participant could not see."""
    return room.votes_visible_to(Role.OBSERVER)


async def _facilitator_board(request: Request) -> BoardRecord:
    board, role = await inputs.authorized_board(request)
    if role is not Role.FACILITATOR:
        raise ArdoiseError(ErrorCode.FORBIDDEN, "only the facilitator can do this")
    return board


def _release(request: Request, room: BoardRoom) -> None:
    if room.is_empty:
        inputs.services(request).registry.release(room)


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


async def _add_notes(room: BoardRoom, notes: list[Note]) -> None:
    """Write notes through the room, a chunk per edit, each one stored before the next."""
    for chunk in _chunks(notes):
        stored = room.edit(DocName.NOTES, partial(_write_notes, notes=chunk))
        if stored is not None:
            await stored


def _write_notes(doc: Doc[Any], notes: list[Note]) -> None:
    restore.write_notes(doc, notes)


def _notes_update_size(notes: list[Note]) -> int:
    doc: Doc[Any] = Doc()
    restore.write_notes(doc, notes)
    return len(doc.get_update())


# ---- endpoints -------------------------------------------------------------------------------


async def get_export(request: Request) -> Response:
    wanted = request.path_params["format"]
    if wanted not in FORMATS:
        raise ArdoiseError(ErrorCode.NOT_FOUND, f"unknown format; one of {', '.join(FORMATS)}")
    media_type, extension, renderer = FORMATS[wanted]
    record, _ = await inputs.authorized_board(request)
    room = await inputs.services(request).registry.get(record.id)
    # Read the documents on the event loop (they are live); render the values in a thread.
    board = read_board(room.doc(DocName.LAYOUT), room.doc(DocName.NOTES))
    votes = _shown_votes(room)
    _release(request, room)
    moment = datetime.now(UTC)
    model = build_model(board, votes, moment)
    body = await asyncio.to_thread(renderer, board, model, votes, moment)
    return Response(
        body,
        media_type=media_type,
        headers={
            "Content-Disposition": content_disposition(board.title, moment, extension),
            "Cache-Control": "no-store",
        },
    )


async def post_import(request: Request) -> JSONResponse:
    """A new board from a JSON board file (backup, restore, move between servers)."""
    services = inputs.services(request)
    if not services.creation_limiter.allow(inputs.client_address(request)):
        raise ArdoiseError(ErrorCode.RATE_LIMITED, "too many boards created from this address")
    raw = await inputs.read_body(request, _MAX_JSON_BYTES)
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise _refused(request, FileProblem("board.notJson"), ErrorCode.BAD_REQUEST) from exc
    limits = services.settings.limits
    try:
        board = json_format.load(data, limits.max_notes, limits.max_note_chars)
    except json_format.BoardFileError as exc:
        raise _refused(request, exc) from exc
    notes = list(board.notes)
    # Judge the size before creating anything: a refused import leaves no half board behind.
    if _notes_update_size(notes) > limits.max_board_bytes * 0.9:
        raise _refused(request, FileProblem("board.tooBig"))
    template = await services.template_store.find(board.template)
    if template is None:
        template = await services.template_store.find("blank")
    if template is None:
        raise ArdoiseError(ErrorCode.INTERNAL, "the blank template is missing")
    # The board's record keeps a short title (as POST /api/boards); the layout keeps the file's.
    title = clean_line(board.title)[:_MAX_RECORD_TITLE] or "Ardoise"
    created = await create_board(services.store, services.registry, template, title, board.locale)
    room = await services.registry.get(created.record.id)
    stored = room.edit(DocName.LAYOUT, lambda doc: restore.write_layout(doc, board))
    if stored is not None:
        await stored
    await _add_notes(room, notes)
    _release(request, room)
    return JSONResponse(inputs.created_board_body(request, created), status_code=201)


def _refused(
    request: Request, problem: FileProblem, code: ErrorCode = ErrorCode.INVALID
) -> ArdoiseError:
    """An import refused, said in the language the request asks for."""
    return ArdoiseError(code, problem.text(inputs.locale(request)))


async def post_csv_import(request: Request) -> JSONResponse:
    """Notes from a CSV file added to a board, in the zones the file names."""
    record = await _facilitator_board(request)
    raw = await inputs.read_body(request, _MAX_CSV_BYTES)
    services = inputs.services(request)
    limits = services.settings.limits
    try:
        rows = csv_import.parse(raw)
    except csv_import.CsvFileError as exc:
        raise _refused(request, exc) from exc
    room = await services.registry.get(record.id)
    try:
        board = read_board(room.doc(DocName.LAYOUT), room.doc(DocName.NOTES))
        room_left = max(0, limits.max_notes - len(board.notes))
        try:
            found = csv_import.notes_from_rows(rows, board.zones, limits.max_note_chars, room_left)
        except csv_import.CsvFileError as exc:
            raise _refused(request, exc) from exc
        placer = Placer(board.zones, [n.rect for n in board.notes if n.rect])
        top = max((n.z for n in board.notes), default=0.0)
        now = datetime.now(UTC).timestamp() * 1000
        notes = [
            Note(
                id=_new_note_id(),
                text=item.text,
                rect=placer.in_zone(item.zone) if item.zone else placer.free_area(),
                color=item.color,
                author=item.author,
                author_id="",
                created_at=now,
                z=top + i + 1,
            )
            for i, item in enumerate(found)
        ]
        await _add_notes(room, notes)
    finally:
        _release(request, room)
    in_zones = sum(1 for item in found if item.zone is not None)
    return JSONResponse(
        {
            "added": len(notes),
            "inZones": in_zones,
            "outsideZones": len(notes) - in_zones,
            "noteIds": [n.id for n in notes],
        },
        status_code=201,
    )


def _new_note_id() -> str:
    # The same shape as the clients' ids: short random URL-safe strings.
    return token_urlsafe(9)


def _wiki_target(request: Request) -> yeswiki_publish.WikiTarget | None:
    settings = inputs.services(request).settings
    if not settings.publishes_to_yeswiki or settings.yeswiki_url is None:
        return None
    return yeswiki_publish.WikiTarget(
        url=settings.yeswiki_url,
        form_id=settings.yeswiki_form_id,
        api_key=settings.yeswiki_api_key,
        text_field=settings.yeswiki_text_field,
        timeout_s=settings.yeswiki_timeout_s,
    )


async def get_publish(request: Request) -> JSONResponse:
    """Whether this server can publish to a wiki, and which one (to show or hide the button)."""
    await _facilitator_board(request)
    target = _wiki_target(request)
    return JSONResponse({"configured": target is not None, "wiki": target.url if target else None})


async def post_publish(request: Request) -> JSONResponse:
    """Publish the board's YesWiki page as a new Bazar entry; returns the entry's link."""
    record = await _facilitator_board(request)
    target = _wiki_target(request)
    if target is None:
        raise ArdoiseError(
            ErrorCode.CONFLICT,
            "publishing to a wiki is not set up on this server (ARDOISE_YESWIKI_URL)",
        )
    room = await inputs.services(request).registry.get(record.id)
    board = read_board(room.doc(DocName.LAYOUT), room.doc(DocName.NOTES))
    votes = _shown_votes(room)
    _release(request, room)
    moment = datetime.now(UTC)
    model = build_model(board, votes, moment)
    markup = await asyncio.to_thread(yeswiki.render, model)
    title = f"{model.title or 'Ardoise'} — {format_date(moment, board.locale)}"
    try:
        url = await yeswiki_publish.publish(target, title, markup)
    except yeswiki_publish.PublishError as exc:
        text = yeswiki_publish.message(exc.reason, board.locale)
        raise WikiError(exc.reason, text) from exc
    return JSONResponse({"url": url}, status_code=201)


routes = [
    Route("/api/boards/import", post_import, methods=["POST"]),
    Route("/api/boards/{board_id}/export/{format}", get_export, methods=["GET"]),
    Route("/api/boards/{board_id}/import/csv", post_csv_import, methods=["POST"]),
    Route("/api/boards/{board_id}/publish/yeswiki", get_publish, methods=["GET"]),
    Route("/api/boards/{board_id}/publish/yeswiki", post_publish, methods=["POST"]),
]
