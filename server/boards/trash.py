"""Deleted notes: what the trash keeps of each, who may see and restore it, and writing it back
(docs/board-schema.md, Trash). Which notes an update deletes is the room's NoteChanges."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pycrdt import Doc, Map, Text

from server.boards.board_snapshot import Zone, as_rect, zone_of
from server.boards.plain import plain
from server.protocol import Role

# What a trash entry keeps of a note's text: several times what clients allow (maxNoteChars),
# so that nothing a person typed is cut, while a hostile note cannot fill the database.
MAX_TEXT_CHARS = 20_000
# Keys a client added to a note (docs/board-schema.md: unknown keys are kept) are kept too, up
# to this much JSON in all; beyond it they are left out.
MAX_OTHER_KEYS_JSON = 4096
# Note ids longer than the database column are no ids our clients make; such a note is still
# kept, under a cut id (restored under that id).
MAX_NOTE_ID_CHARS = 255
# The schema's keys, read into typed values; anything else is an "other" key.
_KNOWN_KEYS = ("text", "rect", "color", "author", "authorId", "createdAt", "z")
# Written back by a restore: `zone` is derived from the position, never stored in a note.
_DERIVED_KEYS = ("zone",)


@dataclass(frozen=True, slots=True)
class Deleter:
    """Who deleted a note: a member of the board, or the server itself (a version restored)."""

    participant_id: str
    name: str
    role: str  # a Role's value, or "server"

    @classmethod
    def server(cls) -> Deleter:
        return cls("", "", "server")


@dataclass(frozen=True, slots=True)
class DeletedNote:
    note_id: str
    # The note's plain values: text, color, rect, zone, author, authorId, createdAt, z, others.
    note: dict[str, Any]
    deleted_by: Deleter
    deleted_at_ms: float

    @property
    def author_id(self) -> str:
        value = self.note.get("authorId")
        return value if isinstance(value, str) else ""


@dataclass(frozen=True, slots=True)
class TrashEntry:
    """A deleted note as the trash holds it, under the entry's own id."""

    id: int
    deleted: DeletedNote


def capture(
    doc: Doc[Any],
    zones: Sequence[Zone],
    note_ids: Iterable[str],
    deleted_by: Deleter,
    now_ms: float,
) -> list[DeletedNote]:
    """What the trash keeps of these notes, read from the document before they go."""
    notes = doc.get("notes", type=Map)
    captured = []
    for note_id in note_ids:
        raw = plain(notes.get(note_id))
        note = kept_values(raw if isinstance(raw, dict) else {})
        rect = as_rect(note.get("rect"))
        if rect is not None:
            zone = zone_of(rect, zones)
            note["zone"] = zone.id if zone else None
        captured.append(DeletedNote(note_id[:MAX_NOTE_ID_CHARS], note, deleted_by, now_ms))
    return captured


def capture_from_state(
    state: bytes,
    zones: Sequence[Zone],
    note_ids: Iterable[str],
    deleted_by: Deleter,
    now_ms: float,
) -> list[DeletedNote]:
    """`capture` from the document's full state as it was (for a worker thread: a whole board
    cleared is thousands of notes to read)."""
    doc: Doc[Any] = Doc()
    doc.apply_update(state)
    return capture(doc, zones, note_ids, deleted_by, now_ms)


def kept_values(raw: dict[str, Any]) -> dict[str, Any]:
    """A note's plain values as the trash keeps them: the schema's keys, bounded others."""
    note: dict[str, Any] = {}
    text = raw.get("text")
    if isinstance(text, str):
        note["text"] = text[:MAX_TEXT_CHARS]
    rect = as_rect(raw.get("rect"))
    if rect is not None:
        note["rect"] = list(rect)
    for key in ("color", "author", "authorId"):
        value = raw.get(key)
        if isinstance(value, str):
            note[key] = value[:200]
    for key in ("createdAt", "z"):
        value = raw.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
            note[key] = value
    budget = MAX_OTHER_KEYS_JSON
    for key, value in raw.items():
        if key in _KNOWN_KEYS or key in _DERIVED_KEYS or not isinstance(key, str):
            continue
        try:
            size = len(json.dumps([key, value], allow_nan=False))
        except ValueError:
            continue
        if size <= budget:
            note[key] = value
            budget -= size
    return note


def may_see(role: Role, participant_id: str | None, author_id: str) -> bool:
    """The facilitator sees every deleted note; a participant only their own; observers none."""
    if role is Role.FACILITATOR:
        return True
    return role is Role.PARTICIPANT and bool(participant_id) and participant_id == author_id


def write_back(doc: Doc[Any], note_id: str, note: dict[str, Any]) -> None:
    """Put a deleted note back in the notes document, with its id, content and position."""
    fields: dict[str, Any] = {
        key: value for key, value in note.items() if key not in _DERIVED_KEYS and key != "text"
    }
    fields["text"] = Text(str(note.get("text", "")))
    doc.get("notes", type=Map)[note_id] = Map(fields)
