"""The live notes document as `note_changes` reads it: counts, authors and sizes of notes."""

from __future__ import annotations

from typing import Any

from pycrdt import Doc, Map, Text

from server.boards.note_tree import NOTES_ROOT


class DocNotes:
    def __init__(self, doc: Doc[Any]) -> None:
        self._notes = doc.get(NOTES_ROOT, type=Map)

    def note_count(self) -> int:
        return len(self._notes)

    def exists(self, note_id: str) -> bool:
        return note_id in self._notes

    def _note(self, note_id: str) -> Map[Any] | None:
        note = self._notes.get(note_id)
        return note if isinstance(note, Map) else None

    def author_id(self, note_id: str) -> str | None:
        note = self._note(note_id)
        author_id = note.get("authorId") if note is not None else None
        return author_id if isinstance(author_id, str) else None

    def text_length(self, note_id: str) -> int:
        note = self._note(note_id)
        text = note.get("text") if note is not None else None
        return len(text) if isinstance(text, Text) else 0

    def key_count(self, note_id: str) -> int:
        note = self._note(note_id)
        return len(note) if note is not None else 0
