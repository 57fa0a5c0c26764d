"""HTTP endpoints of exports, imports and publishing to YesWiki (docs/exports.md)."""

from __future__ import annotations

import asyncio
import functools
import re
import unicodedata
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from server.boards import stored_reading
from server.boards.board_files import BoardFileLimits, FileRefusal, read_board_file
from server.boards.board_snapshot import read_board
from server.boards.export import csv_import, json_format, yeswiki, yeswiki_publish
from server.boards.export.formats import FORMATS
from server.boards.export.labels import format_date
from server.boards.export.model import ExportSource
from server.boards.export.text import clean_line
from server.boards.file_problems import FileProblem
from server.boards.history import BEFORE_IMPORT
from server.boards.importing import add_notes, placed_notes, restore_board
from server.boards.records import BoardRecord
from server.boards.trash import DeletedNote
from server.errors import ArdoiseError
from server.http import inputs
from server.processes import HEAVY_INPUT_BYTES
from server.protocol import DocName, ErrorCode, Role

# A board file of 5,000 long notes is a few MB, and its pictures in base64 take a third more
# than ARDOISE_MAX_BOARD_IMAGE_BYTES (32 MiB by default); a prepared spreadsheet much less.
_MAX_JSON_BYTES = 64 * 1024 * 1024
_MAX_CSV_BYTES = 2 * 1024 * 1024


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


async def _facilitator_board(request: Request) -> BoardRecord:
    board, role = await inputs.authorized_board(request)
    if role is not Role.FACILITATOR:
        raise ArdoiseError(ErrorCode.FORBIDDEN, "only the facilitator can do this")
    return board


# ---- endpoints -------------------------------------------------------------------------------


async def get_export(request: Request) -> Response:
    export_format = FORMATS.get(request.path_params["format"])
    if export_format is None:
        raise ArdoiseError(ErrorCode.NOT_FOUND, f"unknown format; one of {', '.join(FORMATS)}")
    record, role = await inputs.authorized_board(request)
    # A backup (JSON) made by the facilitator keeps the deleted notes too (docs/exports.md).
    is_backup = export_format is json_format.FORMAT and role is Role.FACILITATOR
    trash = await _trash(request, record) if is_backup else ()
    view = await inputs.stored_view(request, record.id)
    images = {}
    if export_format.uses_images:
        images = await inputs.services(request).images.of_board(record.id)
    moment = datetime.now(UTC)
    args = (view, export_format.name, moment, trash, images)
    # Rendered where the board is read: in a worker process when it is big or has pictures to
    # draw, else in a thread (the rendering of a small board still takes longer than the loop
    # should wait).
    if inputs.is_heavy(view) or images:
        body, title = await inputs.services(request).workers.run(True, stored_reading.export, *args)
    else:
        body, title = await asyncio.to_thread(stored_reading.export, *args)
    return Response(
        body,
        media_type=export_format.media_type,
        headers={
            "Content-Disposition": content_disposition(title, moment, export_format.extension),
            "Cache-Control": "no-store",
        },
    )


async def _trash(request: Request, record: BoardRecord) -> tuple[DeletedNote, ...]:
    """The board's deleted notes, oldest first, for a facilitator's backup."""
    entries = await inputs.services(request).archive.trash.entries(record.id)
    return tuple(entry.deleted for entry in reversed(entries))


async def _export_source(request: Request, record: BoardRecord) -> ExportSource:
    """The board as exported now, read from what is stored (every acknowledged change)."""
    view = await inputs.stored_view(request, record.id)
    return await inputs.services(request).workers.run(
        inputs.is_heavy(view), stored_reading.export_source, view, datetime.now(UTC)
    )


async def post_import(request: Request) -> JSONResponse:
    """A new board from a JSON board file (backup, restore, move between servers)."""
    services = inputs.services(request)
    inputs.storage_works(request)
    if not services.creation_limiter.allow(inputs.client_address(request)):
        raise ArdoiseError(ErrorCode.RATE_LIMITED, "too many boards created from this address")
    raw = await inputs.read_body(request, _MAX_JSON_BYTES)
    limits = services.settings.limits
    file_limits = BoardFileLimits(
        max_notes=limits.max_notes,
        max_note_chars=limits.max_note_chars,
        max_trash=services.archive.trash.max_entries,
        max_board_bytes=limits.max_board_bytes,
        max_image_bytes=services.images.max_board_bytes,
    )
    # Read in a worker process when it is big or carries pictures (decoded and encoded again).
    heavy = len(raw) > HEAVY_INPUT_BYTES or b'"images"' in raw
    read = await services.workers.run(heavy, read_board_file, raw, file_limits)
    if isinstance(read, FileRefusal):
        code = ErrorCode.BAD_REQUEST if read.not_json else ErrorCode.INVALID
        raise _refused(request, read.problem(), code)
    board, trash, images = read.board, read.trash, read.images
    template = await services.template_store.find(board.template)
    if template is None:
        template = await services.template_store.find("blank")
    if template is None:
        raise ArdoiseError(ErrorCode.INTERNAL, "the blank template is missing")
    # The file's title is within a new board's limit (json_format.load); the record keeps it on
    # one line.
    title = clean_line(board.title) or "Ardoise"
    created = await restore_board(services.store, services.registry, template, title, board)
    await services.images.put(created.record.id, images)
    if trash:
        await services.archive.trash.add(created.record.id, trash)
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
    inputs.storage_works(request)
    services = inputs.services(request)
    limits = services.settings.limits
    try:
        rows = csv_import.parse(raw)
    except csv_import.CsvFileError as exc:
        raise _refused(request, exc) from exc
    async with services.registry.borrowed(record.id) as room:
        board = read_board(room.doc(DocName.LAYOUT), room.doc(DocName.NOTES))
        room_left = max(0, limits.max_notes - len(board.notes))
        try:
            found = csv_import.notes_from_rows(rows, board.zones, limits.max_note_chars, room_left)
        except csv_import.CsvFileError as exc:
            raise _refused(request, exc) from exc
        notes = placed_notes(board, found)
        # The board as it was is kept in its history first (docs/protocol.md section 2.9).
        kept = room.keep_version(BEFORE_IMPORT, "")
        if kept is not None:
            await kept
        await add_notes(room, notes)
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
    """Publish the board's YesWiki page as a Bazar entry (the board's own entry again when it
    was published before); returns the entry's link, and a warning when the wiki will not show
    it as laid out."""
    record = await _facilitator_board(request)
    target = _wiki_target(request)
    if target is None:
        raise ArdoiseError(
            ErrorCode.CONFLICT,
            "publishing to a wiki is not set up on this server (ARDOISE_YESWIKI_URL)",
        )
    source = await _export_source(request, record)
    mark = yeswiki_publish.board_mark(record.id)
    # The entry shows its own title: the page carries none.
    markup = await asyncio.to_thread(
        functools.partial(yeswiki.render, source.model, standalone=False, mark=mark)
    )
    locale = source.board.locale
    title = source.model.title or "Ardoise"
    publication = yeswiki_publish.Publication(
        title=f"{title} — {format_date(source.moment, locale)}",
        body=markup,
        name=yeswiki_publish.entry_name(title),
        mark=mark,
    )
    try:
        published = await yeswiki_publish.publish(target, publication)
    except yeswiki_publish.PublishError as exc:
        text = yeswiki_publish.message(exc.reason, locale, exc.details)
        raise WikiError(exc.reason, text) from exc
    body: dict[str, Any] = {"url": published.url}
    if published.warning:
        body["warning"] = {
            "reason": published.warning,
            "message": yeswiki_publish.warning(published.warning, locale),
        }
    return JSONResponse(body, status_code=201)


routes = [
    Route("/api/boards/import", post_import, methods=["POST"]),
    Route("/api/boards/{board_id}/export/{format}", get_export, methods=["GET"]),
    Route("/api/boards/{board_id}/import/csv", post_csv_import, methods=["POST"]),
    Route("/api/boards/{board_id}/publish/yeswiki", get_publish, methods=["GET"]),
    Route("/api/boards/{board_id}/publish/yeswiki", post_publish, methods=["POST"]),
]
