"""The board bus: what one server process tells the others about a board it shares with them.

With several processes, each one keeps its own copy of a board's room and serves its own
connections; every change it accepts (updates, presence, votes) goes out on the board's channel so
the others apply and deliver it. The process that accepted a change is the one that stores it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from typing import Protocol

from pycrdt import write_var_uint

from server.protocol import MalformedFrame, read_var_uint


class BusKind(IntEnum):
    UPDATE = 1  # doc_key (the document's storage key), data (the update)
    PRESENCE = 2  # data (an awareness update)
    VOTE = 3  # participant, note, count


@dataclass(frozen=True, slots=True)
class BusMessage:
    kind: BusKind
    doc_key: str = ""
    data: bytes = b""
    participant_id: str = ""
    note_id: str = ""
    count: int = 0


class Bus(Protocol):
    def publish(self, board_id: str, message: BusMessage) -> None:
        """Queue a message for the other processes; never waits, keeps the order."""

    async def subscribe(self, board_id: str, deliver: Callable[[BusMessage], None]) -> None:
        """Receive the other processes' messages about this board (not our own)."""

    async def unsubscribe(self, board_id: str) -> None: ...


def _field(value: bytes) -> list[bytes]:
    return [write_var_uint(len(value)), value]


def encode_bus_message(message: BusMessage) -> bytes:
    parts = [bytes([message.kind])]
    if message.kind is BusKind.UPDATE:
        parts += _field(message.doc_key.encode()) + _field(message.data)
    elif message.kind is BusKind.PRESENCE:
        parts += _field(message.data)
    else:
        parts += _field(message.participant_id.encode()) + _field(message.note_id.encode())
        parts.append(write_var_uint(message.count))
    return b"".join(parts)


def decode_bus_message(raw: bytes) -> BusMessage:
    """Raises MalformedFrame for anything we did not write (the channel is ours alone)."""
    try:
        kind = BusKind(raw[0])
    except (IndexError, ValueError):
        raise MalformedFrame("unknown bus message") from None
    pos = 1

    def field() -> bytes:
        nonlocal pos
        length, pos = read_var_uint(raw, pos)
        value = raw[pos : pos + length]
        if len(value) != length:
            raise MalformedFrame("truncated bus message")
        pos += length
        return value

    if kind is BusKind.UPDATE:
        message = BusMessage(kind, doc_key=field().decode(), data=field())
    elif kind is BusKind.PRESENCE:
        message = BusMessage(kind, data=field())
    else:
        participant_id, note_id = field().decode(), field().decode()
        count, pos = read_var_uint(raw, pos)
        message = BusMessage(kind, participant_id=participant_id, note_id=note_id, count=count)
    if pos != len(raw):
        raise MalformedFrame("trailing bytes in bus message")
    return message
