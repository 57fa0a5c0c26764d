"""Presence (y-protocols awareness) updates: strict decoding and encoding.

The server relays presence, so it must never pass on a state that would break the others' clients:
y-protocols calls JSON.parse on every state it receives.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from pycrdt import write_var_uint

from server.errors import ArdoiseError
from server.protocol import ErrorCode

# More states in one frame than any real client sends (one per local document).
_MAX_ENTRIES = 16
_MAX_VAR_UINT_BYTES = 8
# Note ids are 1-64 characters (docs/board-schema.md).
_MAX_NOTE_ID_CHARS = 64


@dataclass(frozen=True, slots=True)
class PresenceEntry:
    client_id: int
    clock: int
    state: str  # JSON text; "null" means the client left
    value: dict[str, Any] | None = field(default=None, compare=False)


def _malformed(reason: str) -> ArdoiseError:
    return ArdoiseError(ErrorCode.MALFORMED, f"bad presence update: {reason}")


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def var_uint(self) -> int:
        value = 0
        shift = 0
        end = min(len(self.data), self.pos + _MAX_VAR_UINT_BYTES)
        while self.pos < end:
            byte = self.data[self.pos]
            self.pos += 1
            value |= (byte & 0x7F) << shift
            if byte < 0x80:
                return value
            shift += 7
        raise _malformed("truncated or oversized number")

    def var_string(self, max_bytes: int) -> str:
        length = self.var_uint()
        if length > max_bytes:
            raise ArdoiseError(
                ErrorCode.PAYLOAD_TOO_LARGE, f"presence state of {length} bytes is over {max_bytes}"
            )
        end = self.pos + length
        if end > len(self.data):
            raise _malformed("truncated string")
        raw = self.data[self.pos : end]
        self.pos = end
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _malformed("state is not UTF-8") from exc


def parse_presence(payload: bytes, max_state_bytes: int) -> list[PresenceEntry]:
    reader = _Reader(payload)
    count = reader.var_uint()
    if count == 0 or count > _MAX_ENTRIES:
        raise _malformed(f"{count} states in one update")
    entries = []
    for _ in range(count):
        client_id = reader.var_uint()
        clock = reader.var_uint()
        state = reader.var_string(max_state_bytes)
        try:
            value = json.loads(state)
        except ValueError as exc:
            raise _malformed("state is not JSON") from exc
        if value is not None and not isinstance(value, dict):
            raise _malformed("state must be an object or null")
        entries.append(PresenceEntry(client_id, clock, state, value))
    if reader.pos != len(payload):
        raise _malformed("trailing bytes")
    return entries


def encode_presence(entries: list[PresenceEntry]) -> bytes:
    # Not pycrdt's Encoder.write_var_string: it prefixes the character count instead of the UTF-8
    # byte count, which corrupts any state holding a name like "Élodie".
    parts = [write_var_uint(len(entries))]
    for entry in entries:
        state = entry.state.encode()
        parts += [
            write_var_uint(entry.client_id),
            write_var_uint(entry.clock),
            write_var_uint(len(state)),
            state,
        ]
    return b"".join(parts)


class PresenceTable:
    """Who is present on a board: the latest state of each awareness client and its connection."""

    def __init__(self) -> None:
        self._entries: dict[int, PresenceEntry] = {}
        self._owner: dict[int, str] = {}

    def check_owner(self, sid: str, entries: list[PresenceEntry]) -> None:
        for entry in entries:
            owner = self._owner.get(entry.client_id)
            if owner is not None and owner != sid:
                raise ArdoiseError(
                    ErrorCode.FORBIDDEN, f"presence {entry.client_id} belongs to someone else"
                )

    def record(self, sid: str, entries: list[PresenceEntry]) -> tuple[set[int], set[int]]:
        """Store the entries; returns the client ids (added, removed) for this connection."""
        added, removed = set(), set()
        for entry in entries:
            if entry.state == "null":
                self._entries.pop(entry.client_id, None)
                self._owner.pop(entry.client_id, None)
                removed.add(entry.client_id)
            else:
                self._entries[entry.client_id] = entry
                self._owner[entry.client_id] = sid
                added.add(entry.client_id)
        return added, removed

    def remove(self, client_ids: set[int]) -> list[PresenceEntry]:
        """Forget these clients; the removal entries to tell the others."""
        removed = []
        for client_id in client_ids:
            entry = self._entries.pop(client_id, None)
            self._owner.pop(client_id, None)
            # Same clock, as y-protocols removes a remote client: a higher one would make the
            # others ignore this person's state when they come back (until its 15 s renewal).
            removed.append(PresenceEntry(client_id, entry.clock if entry else 0, "null"))
        return removed

    def all(self) -> list[PresenceEntry]:
        return list(self._entries.values())

    def editing(self, client_ids: set[int]) -> frozenset[str]:
        """The notes these clients say they are writing (the `editing` of their states)."""
        found = set()
        for client_id in client_ids:
            entry = self._entries.get(client_id)
            value = None if entry is None or entry.value is None else entry.value.get("editing")
            if isinstance(value, str) and 0 < len(value) <= _MAX_NOTE_ID_CHARS:
                found.add(value)
        return frozenset(found)
