"""Board ids, role tokens and join codes: how they are drawn and how a secret maps to a role."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from typing import Protocol

from server.protocol import Role

# No 0/O, 1/I/L: codes are read aloud and copied from a projector.
JOIN_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
JOIN_CODE_LENGTH = 6
_JOIN_CODE = re.compile(f"[{JOIN_CODE_ALPHABET}]{{{JOIN_CODE_LENGTH}}}")
_SEPARATORS = re.compile(r"[\s\-_.]")


def new_board_id() -> str:
    """128 random bits, URL-safe (22 characters)."""
    return secrets.token_urlsafe(16)


def new_token() -> str:
    """256 random bits, URL-safe (43 characters)."""
    return secrets.token_urlsafe(32)


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalize_join_code(raw: str) -> str | None:
    """Upper-cased, separators dropped; None if it cannot be a join code."""
    code = _SEPARATORS.sub("", raw).upper()
    return code if _JOIN_CODE.fullmatch(code) else None


def token_digest(token: str) -> str:
    """What is stored of the facilitator token: it is never handed out again, so never kept."""
    return hashlib.sha256(token.encode()).hexdigest()


class Secured(Protocol):
    """What holds role tokens and a join code: a board, or a workshop (whose boards share
    its tokens)."""

    @property
    def facilitator_token_sha256(self) -> str: ...
    @property
    def participant_token(self) -> str: ...
    @property
    def observer_token(self) -> str: ...
    @property
    def join_code(self) -> str: ...
    @property
    def join_open(self) -> bool: ...


def role_for_secret(board: Secured, secret: str) -> Role | None:
    """The role a token or join code grants on this board (or workshop), compared in constant
    time."""
    if hmac.compare_digest(token_digest(secret), board.facilitator_token_sha256):
        return Role.FACILITATOR
    if hmac.compare_digest(secret.encode(), board.participant_token.encode()):
        return Role.PARTICIPANT
    if hmac.compare_digest(secret.encode(), board.observer_token.encode()):
        return Role.OBSERVER
    code = normalize_join_code(secret)
    if code is not None and board.join_open and hmac.compare_digest(code, board.join_code):
        return Role.PARTICIPANT
    return None
