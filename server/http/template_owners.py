"""Who manages a custom template: its author, by the key handed out when it was made, or the
server's admin (docs/templates.md, Ownership). There are no accounts: the key is the proof."""

from __future__ import annotations

import hmac
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from server.boards.credentials import new_token, token_digest
from server.boards.templates.format import refused_character
from server.boards.templates.library import summary
from server.errors import ArdoiseError
from server.http import inputs
from server.protocol import ErrorCode
from server.storage.template_store import CustomTemplate

# The header in which a browser sends the keys of the templates it made, to list them.
KEYS_HEADER = "x-ardoise-template-keys"
# Keys read from one request: a browser keeps at most this many (web/src/lib/storage.ts).
MAX_KEYS = 200
MAX_NAME_CHARS = 80
MAX_DESCRIPTION_CHARS = 300


def new_key() -> tuple[str, str]:
    """A key for a new template's author, and what the server keeps of it (its digest)."""
    key = new_token()
    return key, token_digest(key)


def is_admin(request: Request, token: str) -> bool:
    admin = inputs.services(request).settings.admin_token
    return bool(admin) and hmac.compare_digest(token.encode(), admin.encode())


def listing_owners(request: Request) -> frozenset[str] | None:
    """Whose custom templates the gallery lists: the digests of the keys the request carries;
    None (every one) for the admin."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        # Only the admin sends one here: a wrong one counts as a wrong board token would.
        address = inputs.client_address(request)
        failures = inputs.services(request).token_failure_limiter
        if not failures.has_room(address):
            raise ArdoiseError(ErrorCode.RATE_LIMITED, "too many wrong tokens from this address")
        if is_admin(request, token.strip()):
            return None
        failures.allow(address)
    keys = [k.strip() for k in request.headers.get(KEYS_HEADER, "").split(",")]
    return frozenset(token_digest(k) for k in keys[:MAX_KEYS] if k)


def entry(template: Any, locale: str, mine: bool) -> dict[str, Any]:
    """A gallery entry; `mine`: the caller may rename and delete it."""
    return {**summary(template, locale), "mine": mine}


async def _managed(request: Request) -> CustomTemplate:
    """The template of the path, if the bearer owns it (its key) or is the admin.

    401 without a bearer, 404 for an unknown id, 403 for a shipped template or a key that is not
    its owner's; wrong keys count against the address as wrong board tokens do.
    """
    key = inputs.bearer(request)
    address = inputs.client_address(request)
    failures = inputs.services(request).token_failure_limiter
    if not failures.has_room(address):
        raise ArdoiseError(ErrorCode.RATE_LIMITED, "too many wrong keys from this address")
    store = inputs.services(request).template_store
    template_id = request.path_params["template_id"]
    if store.is_shipped(template_id):
        raise ArdoiseError(ErrorCode.FORBIDDEN, "a shipped template is a file of the server")
    found = await store.find_custom(template_id)
    if found is None:
        raise ArdoiseError(ErrorCode.NOT_FOUND, "no template with this id")
    owner = found.owner_sha256
    if is_admin(request, key) or (
        owner is not None and hmac.compare_digest(token_digest(key), owner)
    ):
        return found
    failures.allow(address)
    raise ArdoiseError(ErrorCode.FORBIDDEN, "only its author or the admin manages a template")


def label(body: dict[str, Any], key: str, limit: int, required: bool = False) -> str | None:
    """A template's name or description from a JSON body: trimmed, at most `limit` characters,
    no control character; None when it is not given (refused when `required`)."""
    value = body.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise ArdoiseError(
            ErrorCode.INVALID, f"{key} must be a {'non-empty ' if required else ''}string"
        )
    value = value.strip()
    if len(value) > limit:
        raise ArdoiseError(ErrorCode.INVALID, f"{key} is over {limit} characters")
    if refused_character(value) is not None:
        raise ArdoiseError(ErrorCode.INVALID, f"{key} holds a control character")
    return value


async def rename_template(request: Request) -> JSONResponse:
    found = await _managed(request)
    body = await inputs.json_body(request)
    name = label(body, "name", MAX_NAME_CHARS, required=True)
    assert name is not None
    description = label(body, "description", MAX_DESCRIPTION_CHARS)
    inputs.storage_works(request)
    store = inputs.services(request).template_store
    await store.rename(found.template.id, name, description)
    renamed = await store.find_custom(found.template.id)
    if renamed is None:
        raise ArdoiseError(ErrorCode.NOT_FOUND, "no template with this id")
    return JSONResponse(entry(renamed.template, inputs.locale(request), mine=True))


async def delete_template(request: Request) -> JSONResponse:
    found = await _managed(request)
    inputs.storage_works(request)
    await inputs.services(request).template_store.delete(found.template.id)
    return JSONResponse({"deleted": found.template.id})


routes = [
    Route("/api/templates/{template_id}", rename_template, methods=["PATCH"]),
    Route("/api/templates/{template_id}", delete_template, methods=["DELETE"]),
]
