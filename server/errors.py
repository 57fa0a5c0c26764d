"""Errors as data: one code, one message, one HTTP status, one wire shape everywhere."""

from __future__ import annotations

from typing import Any

from server.protocol import ErrorCode

HTTP_STATUS: dict[ErrorCode, int] = {
    ErrorCode.BAD_REQUEST: 400,
    ErrorCode.MALFORMED: 400,
    ErrorCode.UNAUTHORIZED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.BOARD_LOCKED: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.BOARD_NOT_FOUND: 404,
    ErrorCode.CONFLICT: 409,
    ErrorCode.OUT_OF_SYNC: 409,
    ErrorCode.VOTE_CLOSED: 409,
    ErrorCode.BUDGET_EXHAUSTED: 409,
    ErrorCode.PAYLOAD_TOO_LARGE: 413,
    ErrorCode.INVALID: 422,
    ErrorCode.RATE_LIMITED: 429,
    ErrorCode.INTERNAL: 500,
    ErrorCode.UNAVAILABLE: 503,
}


class ArdoiseError(Exception):
    """An error a client is told about, with a stable code and a human message."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    @property
    def status(self) -> int:
        return HTTP_STATUS[self.code]

    def body(self) -> dict[str, Any]:
        return error_body(self.code, self.message)


def error_body(code: ErrorCode, message: str) -> dict[str, Any]:
    """The one error shape of HTTP responses and refused acknowledgements."""
    return {"ok": False, "error": {"code": code.value, "message": message}}


OK: dict[str, Any] = {"ok": True}
