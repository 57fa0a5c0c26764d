"""A board's history of versions (docs/protocol.md section 2.9): the facilitator lists the
earlier versions and restores one, the present being kept as a version first."""

from __future__ import annotations

import json
import re

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from server.boards.history import VersionSummary
from server.boards.records import BoardRecord
from server.boards.restoring import restore_version
from server.errors import ArdoiseError
from server.http import inputs
from server.protocol import ErrorCode, Role

_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")
_MAX_NAME_CHARS = 80


async def _facilitator_board(request: Request) -> BoardRecord:
    board, role = await inputs.authorized_board(request)
    if role is not Role.FACILITATOR:
        raise ArdoiseError(ErrorCode.FORBIDDEN, "only the facilitator sees the board's history")
    return board


async def list_versions(request: Request) -> JSONResponse:
    board = await _facilitator_board(request)
    services = inputs.services(request)
    history = services.archive.history
    summaries = await history.summaries(board.id)
    return JSONResponse(
        {
            "versions": [_summary_json(v) for v in summaries],
            "intervalS": services.archive.history_interval_s,
            "maxVersions": history.max_versions,
        }
    )


async def restore(request: Request) -> JSONResponse:
    board = await _facilitator_board(request)
    version_id = inputs.path_id(request, "version_id")
    name = await _name(request)
    inputs.storage_works(request)
    services = inputs.services(request)
    version = await services.archive.history.version(board.id, version_id)
    if version is None:
        raise ArdoiseError(ErrorCode.NOT_FOUND, "no version with this id")
    async with services.registry.borrowed(board.id) as room:
        kept = await restore_version(room, version, name)
    return JSONResponse({"restored": version_id, "kept": kept})


async def _name(request: Request) -> str:
    """Who restores, as the list will show it: `{name?}` in an optional JSON body."""
    raw = await inputs.read_body(request, inputs.MAX_JSON_BYTES)
    if not raw.strip():
        return ""
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise ArdoiseError(ErrorCode.BAD_REQUEST, "the body must be JSON") from exc
    name = body.get("name", "") if isinstance(body, dict) else None
    if not isinstance(name, str):
        raise ArdoiseError(ErrorCode.INVALID, "name must be a string")
    return _CONTROL_CHARS.sub("", name).strip()[:_MAX_NAME_CHARS]


def _summary_json(version: VersionSummary) -> dict[str, object]:
    return {
        "id": version.id,
        "createdAt": version.created_at_ms,
        "reason": version.reason,
        "by": version.made_by,
        "notes": version.note_count,
        "bytes": version.size,
    }


routes = [
    Route("/api/boards/{board_id}/history", list_versions, methods=["GET"]),
    Route("/api/boards/{board_id}/history/{version_id}/restore", restore, methods=["POST"]),
]
