"""The wire protocol as data: event, document and role names, error codes, frame encoding.

Mirrored by web/src/sync/protocol.ts, and tests/unit/test_protocol.py compares the two
(docs/protocol.md).
"""

from __future__ import annotations

from enum import IntEnum, StrEnum
from typing import Final

from pycrdt import YSyncMessageType, create_awareness_message, create_update_message
from pycrdt._sync import create_message

PROTOCOL_VERSION: Final = 1


class Event(StrEnum):
    """Socket.IO event names."""

    WELCOME = "welcome"
    Y = "y"
    VOTE = "vote"
    VOTES = "votes"
    PRIVATE_COUNT = "private_count"
    BOARD_ERROR = "board_error"


class DocName(StrEnum):
    """The documents a client syncs (docs/protocol.md section 1; what they hold:
    docs/board-schema.md).

    `private` is each participant's own document during a private writing phase: it is synced
    only with that participant's connections (docs/protocol.md section 7.2).
    """

    LAYOUT = "layout"
    NOTES = "notes"
    PRIVATE = "private"


SHARED_DOCS: Final = (DocName.LAYOUT, DocName.NOTES)


class Role(StrEnum):
    FACILITATOR = "facilitator"
    PARTICIPANT = "participant"
    OBSERVER = "observer"


class ErrorCode(StrEnum):
    """Every error code a client can receive (docs/protocol.md section 6)."""

    BAD_REQUEST = "bad_request"
    UNAUTHORIZED = "unauthorized"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    BOARD_NOT_FOUND = "board_not_found"
    CONFLICT = "conflict"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    INVALID = "invalid"
    RATE_LIMITED = "rate_limited"
    BOARD_LOCKED = "board_locked"
    MALFORMED = "malformed"
    OUT_OF_SYNC = "out_of_sync"
    VOTE_CLOSED = "vote_closed"
    BUDGET_EXHAUSTED = "budget_exhausted"
    UNAVAILABLE = "unavailable"
    INTERNAL = "internal"


class Reaction(StrEnum):
    """The emoji a note can be reacted with: a fixed few, so that counts read at a glance and a
    client cannot invent one (docs/board-schema.md, root `reactions`)."""

    THUMBS_UP = "👍"
    HEART = "❤️"
    LAUGH = "😂"
    SURPRISE = "😮"
    IDEA = "💡"
    QUESTION = "❓"


class MessageType(IntEnum):
    """First var-uint of a frame (y-protocols)."""

    SYNC = 0
    AWARENESS = 1


class SyncType(IntEnum):
    """Second var-uint of a sync frame (y-protocols/sync)."""

    STEP1 = 0
    STEP2 = 1
    UPDATE = 2


class MalformedFrame(ValueError):
    """A frame that is not exactly one y-websocket message."""


# lib0 var-uints above 2**53 cannot come from a JavaScript client.
_MAX_VAR_UINT_BYTES = 8


def read_var_uint(data: bytes, pos: int) -> tuple[int, int]:
    """A lib0 var-uint at `pos`; returns (value, position after it)."""
    value = 0
    shift = 0
    end = min(len(data), pos + _MAX_VAR_UINT_BYTES)
    while pos < end:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7
    raise MalformedFrame("truncated or oversized var-uint")


def decode_frame(frame: bytes) -> tuple[MessageType, SyncType | None, bytes]:
    """Split a frame into (message type, sync type or None, payload), checking every length.

    pycrdt's handle_sync_message neither checks the length prefix nor rejects unknown types
    (docs/findings.md, pycrdt), so nothing reaches it without passing here.
    """
    message_type, pos = read_var_uint(frame, 0)
    sync_type: SyncType | None = None
    if message_type == MessageType.SYNC:
        raw_sync_type, pos = read_var_uint(frame, pos)
        if raw_sync_type > SyncType.UPDATE:
            raise MalformedFrame(f"unknown sync message type {raw_sync_type}")
        sync_type = SyncType(raw_sync_type)
    elif message_type != MessageType.AWARENESS:
        raise MalformedFrame(f"unknown message type {message_type}")
    length, pos = read_var_uint(frame, pos)
    if pos + length != len(frame):
        raise MalformedFrame(f"length prefix says {length} bytes but {len(frame) - pos} follow")
    return MessageType(message_type), sync_type, frame[pos:]


def encode_step1(state_vector: bytes) -> bytes:
    return create_message(state_vector, YSyncMessageType.SYNC_STEP1)


def encode_step2(update: bytes) -> bytes:
    return create_message(update, YSyncMessageType.SYNC_STEP2)


def encode_update(update: bytes) -> bytes:
    return create_update_message(update)


def encode_awareness(awareness_update: bytes) -> bytes:
    return create_awareness_message(awareness_update)
