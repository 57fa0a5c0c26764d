"""The live notes document as `note_changes` reads it: counts, authors and sizes of notes and
groups."""

from __future__ import annotations

from typing import Any

from pycrdt import Doc, Map, Text

from server.boards.comment_index import CommentIndex
from server.boards.note_tree import COMMENTS_ROOT, GROUPS_ROOT, NOTES_ROOT, REACTIONS_ROOT


class DocNotes:
    """Made for one judgement: what it reads is remembered (each read crosses into pycrdt)."""

    def __init__(self, doc: Doc[Any], comments: CommentIndex | None = None) -> None:
        """`comments`: the live document's index of comments (made here when not given)."""
        self._notes = doc.get(NOTES_ROOT, type=Map)
        self._groups = doc.get(GROUPS_ROOT, type=Map)
        self._reactions = doc.get(REACTIONS_ROOT, type=Map)
        self._comments = doc.get(COMMENTS_ROOT, type=Map)
        self._comment_index = comments
        self._read: dict[str, Map[Any] | None] = {}
        self._exists: dict[str, bool] = {}

    def note_count(self) -> int:
        return len(self._notes)

    def exists(self, note_id: str) -> bool:
        found = self._exists.get(note_id)
        if found is None:
            found = self._exists[note_id] = note_id in self._notes
        return found

    def _note(self, note_id: str) -> Map[Any] | None:
        if note_id not in self._read:
            note = self._notes.get(note_id)
            self._read[note_id] = note if isinstance(note, Map) else None
        return self._read[note_id]

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

    def group_count(self) -> int:
        return len(self._groups)

    def group_exists(self, group_id: str) -> bool:
        return group_id in self._groups

    def _group(self, group_id: str) -> Map[Any] | None:
        group = self._groups.get(group_id)
        return group if isinstance(group, Map) else None

    def group_creator(self, group_id: str) -> str | None:
        group = self._group(group_id)
        creator = group.get("createdBy") if group is not None else None
        return creator if isinstance(creator, str) else None

    def group_key_count(self, group_id: str) -> int:
        group = self._group(group_id)
        return len(group) if group is not None else 0

    def reaction_count(self) -> int:
        return len(self._reactions)

    def reaction_exists(self, key: str) -> bool:
        return key in self._reactions

    def comment_count(self) -> int:
        return len(self._comments)

    def comment_exists(self, comment_id: str) -> bool:
        return comment_id in self._comments

    def _comment(self, comment_id: str) -> Map[Any] | None:
        comment = self._comments.get(comment_id)
        return comment if isinstance(comment, Map) else None

    def comment_author(self, comment_id: str) -> str | None:
        comment = self._comment(comment_id)
        author = comment.get("authorId") if comment is not None else None
        return author if isinstance(author, str) else None

    def comments_on(self, note_id: str) -> int:
        if self._comment_index is None:
            self._comment_index = CommentIndex(self._comments)
        return self._comment_index.count(note_id)
