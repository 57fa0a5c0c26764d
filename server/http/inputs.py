"""Reading HTTP requests, shared by every API module: services, caller, token, body, board."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request

from server.boards.creation import CreatedBoard
from server.boards.credentials import role_for_secret
from server.boards.records import BoardRecord
from server.boards.stored_reading import StoredView
from server.boards.templates.library import LOCALES
from server.errors import ArdoiseError
from server.processes import HEAVY_INPUT_BYTES
from server.protocol import ErrorCode, Role
from server.services import Services

# A JSON request (board creation, a control) is a few fields; anything bigger is not one.
MAX_JSON_BYTES = 64 * 1024


def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found


def storage_works(request: Request) -> None:
    """Refuse a write (a creation, a control, an import, a restore) at once while storage is
    known to be failing (503 `unavailable`), rather than after the database's own wait (SQLite's
    lock wait is 10 s), or half done."""
    failure = services(request).storage_health.failure
    if failure is not None:
        raise ArdoiseError(
            ErrorCode.UNAVAILABLE,
            f"the server cannot store boards now ({failure}); try again later",
        )


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def locale(request: Request) -> str:
    """`?locale=`, else the browser's Accept-Language, else French."""
    wanted = request.query_params.get("locale")
    if wanted in LOCALES:
        return wanted
    accept = request.headers.get("accept-language", "")
    for part in accept.split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LOCALES:
            return tag
    return "fr"


def bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ArdoiseError(
            ErrorCode.UNAUTHORIZED, "send the board's token as 'Authorization: Bearer <token>'"
        )
    return token.strip()


async def read_body(request: Request, limit: int) -> bytes:
    """The whole body, refused (413) as soon as it passes `limit`, whatever Content-Length says."""
    too_big = ArdoiseError(ErrorCode.PAYLOAD_TOO_LARGE, f"request body over {limit} bytes")
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise too_big
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise too_big
    return bytes(body)


async def json_body(request: Request) -> dict[str, Any]:
    body = await read_body(request, MAX_JSON_BYTES)
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ArdoiseError(ErrorCode.BAD_REQUEST, "the body must be JSON") from exc
    except RecursionError as exc:
        # The json module parses recursively; a request of a few fields is never this deep.
        raise ArdoiseError(ErrorCode.BAD_REQUEST, "the body's JSON is nested too deeply") from exc
    if not isinstance(data, dict):
        raise ArdoiseError(ErrorCode.BAD_REQUEST, "the body must be a JSON object")
    return data


def base_url(request: Request) -> str:
    configured = services(request).settings.public_url
    return configured or str(request.base_url).rstrip("/")


async def board_for_token(
    request: Request, board_id: str
) -> tuple[BoardRecord | None, Role | None]:
    """The board and the role the bearer token gives on it, None when it does not open it.

    Each failure counts against the client's address; past its budget
    (ARDOISE_TOKEN_FAILURES_PER_MINUTE) every check from that address is refused (429) before
    the token is looked at, so that guesses cannot go on, a right one included. A token that
    opens the board costs nothing: working clients are never slowed.
    """
    token = bearer(request)
    address = client_address(request)
    failures = services(request).token_failure_limiter
    if not failures.has_room(address):
        raise ArdoiseError(
            ErrorCode.RATE_LIMITED, "too many wrong board tokens from this address: wait a minute"
        )
    board = await services(request).store.get_board(board_id)
    role = None if board is None else role_for_secret(board, token)
    if role is None:
        failures.allow(address)
    return board, role


async def authorized_board(request: Request) -> tuple[BoardRecord, Role]:
    """The board of the path and the role the bearer token gives on it (401/404 otherwise)."""
    board, role = await board_for_token(request, request.path_params["board_id"])
    if board is None:
        raise ArdoiseError(ErrorCode.NOT_FOUND, "no board with this id")
    if role is None:
        raise ArdoiseError(ErrorCode.UNAUTHORIZED, "this token does not open the board")
    return board, role


# The header that carries a participant's credential (docs/protocol.md section 2.1): who they
# are on the board, as the server issued it in `welcome`.
CREDENTIAL_HEADER = "x-ardoise-credential"


async def participant_id(request: Request, board: BoardRecord) -> str:
    """The participant the request's credential proves (401 without one that verifies).

    A credential that does not verify counts against the address like a wrong token: it is
    a guess at someone's identity.
    """
    credential = request.headers.get(CREDENTIAL_HEADER, "").strip()
    if not credential:
        raise ArdoiseError(
            ErrorCode.UNAUTHORIZED, "send your participant credential in X-Ardoise-Credential"
        )
    address = client_address(request)
    failures = services(request).token_failure_limiter
    if not failures.has_room(address):
        raise ArdoiseError(
            ErrorCode.RATE_LIMITED, "too many wrong board tokens from this address: wait a minute"
        )
    found = await services(request).identities.participant_of(board.id, credential)
    if found is None:
        failures.allow(address)
        raise ArdoiseError(ErrorCode.UNAUTHORIZED, "this credential is no participant's here")
    return found


def path_id(request: Request, name: str) -> int:
    """A numeric id of the path (a trash entry, a version); anything else is not found."""
    raw = request.path_params[name]
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        raise ArdoiseError(ErrorCode.NOT_FOUND, f"no {name.removesuffix('_id')} with this id")
    return int(raw)


def created_board_body(request: Request, created: CreatedBoard) -> dict[str, Any]:
    """The answer to a board creation (POST /api/boards, an import, a duplicate)."""
    record = created.record
    base = base_url(request)
    tokens = {
        Role.FACILITATOR.value: created.facilitator_token,
        Role.PARTICIPANT.value: record.participant_token,
        Role.OBSERVER.value: record.observer_token,
    }
    # Tokens ride in the fragment, which browsers never send to the server: no secret in logs.
    links = {role: f"{base}/b/{record.id}#token={token}" for role, token in tokens.items()}
    links["join"] = f"{base}/j/{record.join_code}"
    return {
        "id": record.id,
        "title": record.title,
        "template": record.template,
        "locale": record.locale,
        "joinCode": record.join_code,
        "tokens": tokens,
        "links": links,
    }


async def stored_view(request: Request, board_id: str) -> StoredView:
    """The board as stored now: every acknowledged change is in it."""
    return StoredView.of(board_id, await services(request).store.load_shared_board(board_id))


def is_heavy(view: StoredView) -> bool:
    return view.size > HEAVY_INPUT_BYTES
