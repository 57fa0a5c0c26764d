"""Every HTTP error answered in the one error shape: ours, Starlette's, and the unexpected."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from server.errors import ArdoiseError, error_body
from server.protocol import ErrorCode
from server.storage.faults import storage_fault

# Starlette's own refusals (unknown route, wrong method, ...) as our codes.
_HTTP_CODES = {
    400: ErrorCode.BAD_REQUEST,
    401: ErrorCode.UNAUTHORIZED,
    403: ErrorCode.FORBIDDEN,
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.BAD_REQUEST,
    413: ErrorCode.PAYLOAD_TOO_LARGE,
    429: ErrorCode.RATE_LIMITED,
}


async def _ardoise_error(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, ArdoiseError)
    return JSONResponse(exc.body(), status_code=exc.status)


async def _http_error(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = _HTTP_CODES.get(exc.status_code, ErrorCode.BAD_REQUEST)
    return JSONResponse(error_body(code, str(exc.detail)), status_code=exc.status_code)


async def _internal_error(request: Request, exc: Exception) -> Response:
    # Nothing of the exception reaches the client: it may hold a board's content or a secret.
    fault = storage_fault(exc)
    if fault is not None:
        # Known from now on: writes are refused at once until storage works again.
        request.app.state.services.storage_health.failed(fault)
        message = f"the server cannot store or read boards now ({fault.message}); try again later"
        return JSONResponse(error_body(ErrorCode.UNAVAILABLE, message), status_code=503)
    return JSONResponse(error_body(ErrorCode.INTERNAL, "internal error"), status_code=500)


EXCEPTION_HANDLERS: Mapping[
    type[Exception], Callable[[Request, Exception], Awaitable[Response]]
] = {
    ArdoiseError: _ardoise_error,
    HTTPException: _http_error,
    Exception: _internal_error,
}
