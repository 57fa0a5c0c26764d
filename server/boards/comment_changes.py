"""Whether a writer may add or delete the comments an update holds (docs/protocol.md section 4).

Comments sit in the root map `comments` of the notes document, id -> a map of plain values
`{noteId, authorId, author, text, createdAt}` (docs/board-schema.md). Anyone who may write notes
comments on any note, in their own name; a comment is never edited, only deleted, by its author
or the facilitator.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from server.boards.group_changes import GroupTally
from server.boards.note_tree import PlacedUpdate
from server.boards.update_items import Item
from server.errors import ArdoiseError
from server.protocol import ErrorCode

if TYPE_CHECKING:
    from server.boards.note_changes import NoteLimits, Writer

_Y_MAP = 1
_TYPE_REF = 7
_MAX_AUTHOR_CHARS = 80
# A comment holds a short text and a few plain values: this bounds what one update adds to it.
_MAX_COMMENT_BYTES = 8 * 1024
_REQUIRED_KEYS = ("noteId", "authorId", "text")


class CommentsView(Protocol):
    """What the judge reads of the live document's comments."""

    def comment_count(self) -> int: ...

    def comment_exists(self, comment_id: str) -> bool: ...

    def comment_author(self, comment_id: str) -> str | None: ...

    def comments_on(self, note_id: str) -> int: ...

    def exists(self, note_id: str) -> bool: ...


def _forbidden(message: str) -> ArdoiseError:
    return ArdoiseError(ErrorCode.FORBIDDEN, message)


def _invalid(message: str) -> ArdoiseError:
    return ArdoiseError(ErrorCode.INVALID, message)


def _is_name(value: str | None) -> bool:
    return (
        value is not None
        and len(value) <= _MAX_AUTHOR_CHARS
        and not any(ord(char) < 0x20 or ord(char) == 0x7F for char in value)
    )


def judge_comments(
    tally: GroupTally,
    placed: PlacedUpdate,
    view: CommentsView,
    writer: Writer | None,
    limits: NoteLimits,
    created_notes: set[str],
) -> None:
    """Raise ArdoiseError when `writer` may not add or delete these comments."""
    if writer is None or not (tally.items or tally.deleted_entries or tally.changed_by_delete):
        return
    if not writer.may_group:
        raise _forbidden("comments are made on the shared board, not in private writing")
    created: set[str] = set()
    size: dict[str, int] = {}
    for item, place in tally.items:
        comment_id = place.note_id
        assert comment_id is not None
        if place.depth == 0:
            if item.content_ref != _TYPE_REF or item.type_ref != _Y_MAP:
                raise _invalid(f"comment {comment_id[:40]!r} must be a map")
            if view.comment_exists(comment_id):
                raise _forbidden("a comment is not changed once written: delete it instead")
            created.add(comment_id)
        elif place.depth > 1:
            raise _invalid("a comment holds plain values only")
        elif comment_id not in placed.new_comments:
            raise _forbidden("a comment is not changed once written: delete it instead")
        size[comment_id] = size.get(comment_id, 0) + item.size
        if place.key is not None:
            _check_key(item, place.key, writer, view, limits, created_notes)
    if any(total > _MAX_COMMENT_BYTES for total in size.values()):
        raise _invalid(f"an update may add at most {_MAX_COMMENT_BYTES} bytes to a comment")
    deleted = {c for c in tally.deleted_entries if view.comment_exists(c)}
    if {c for c in tally.changed_by_delete if view.comment_exists(c)} - created - deleted:
        raise _forbidden("a comment is not changed once written: delete it instead")
    if not writer.is_facilitator:
        for comment_id in deleted:
            if view.comment_author(comment_id) != writer.participant_id:
                raise _forbidden("only the facilitator deletes someone else's comment")
    per_note: dict[str, int] = {}
    for comment_id in created:
        items = placed.new_comments.get(comment_id, [])
        keys = {i.parent_sub: i for i in items if i.parent_sub is not None}
        for key in _REQUIRED_KEYS:
            if key not in keys:
                raise _invalid(f"new comment {comment_id[:40]!r} has no {key}")
        if len(keys) > limits.max_keys:
            raise _invalid(f"a comment holds at most {limits.max_keys} keys")
        note_id = keys["noteId"].text_value
        assert note_id is not None  # checked by _check_key
        per_note[note_id] = per_note.get(note_id, 0) + 1
    for note_id, count in per_note.items():
        if view.comments_on(note_id) + count > limits.max_comments_per_note:
            raise _invalid(f"a note holds at most {limits.max_comments_per_note} comments")
    if created and view.comment_count() + len(created) - len(deleted) > limits.max_comments:
        raise _invalid(f"a board holds at most {limits.max_comments} comments")


def _check_key(
    item: Item,
    key: str,
    writer: Writer,
    view: CommentsView,
    limits: NoteLimits,
    created_notes: set[str],
) -> None:
    value = item.text_value
    if key == "authorId" and value != writer.participant_id:
        raise _forbidden("a new comment's authorId must be its writer's own id")
    if key == "author" and not _is_name(value):
        raise _invalid("a comment's author must be a name of at most 80 characters")
    if key == "text" and (
        value is None or not value.strip() or len(value) > limits.max_comment_chars
    ):
        raise _invalid(f"a comment is a text of 1 to {limits.max_comment_chars} characters")
    if key == "noteId" and (value is None or not (view.exists(value) or value in created_notes)):
        raise _invalid("a comment is on a note of the board")
