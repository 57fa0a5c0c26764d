"""What an update does to the notes (created, changed, deleted), and whether its writer may do it.

Judged before the update is applied, so that a refused update leaves the document unchanged:
authorship is the writer's own and fixed once written, participants change only their own notes
unless the board lets them change all, and the document stays within its structure limits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from server.boards.comment_changes import CommentsView, judge_comments
from server.boards.group_changes import GroupChanges, GroupsView, GroupTally, judge_groups
from server.boards.image_ids import is_image_id
from server.boards.note_tree import (
    AUTHORSHIP_KEYS,
    COMMENTS_ROOT,
    GROUPS_ROOT,
    IMAGE_KEY,
    NOTES_ROOT,
    REACTIONS_ROOT,
    TEXT_KEY,
    NoteTree,
    Place,
    PlacedUpdate,
    UnplacedItem,
    place_items,
)
from server.boards.reaction_changes import ReactionsView, judge_reactions
from server.boards.update_items import UpdateItems
from server.errors import ArdoiseError
from server.protocol import ErrorCode

_Y_MAP = 1
_MAX_AUTHOR_CHARS = 80


@dataclass(frozen=True, slots=True)
class NoteLimits:
    """What one notes document may hold, checked on every write (docs/board-schema.md, Limits)."""

    max_notes: int = 5000
    # The client keeps a text to `max_note_chars`; the server judges before applying, from the
    # text's length and what the update inserts, so it allows twice that (a paste replacing a
    # whole text inserts as much as it deletes).
    max_note_chars: int = 2000
    max_depth: int = 4
    max_keys: int = 32
    max_items_per_update: int = 20_000
    max_note_bytes_per_update: int = 64 * 1024
    # Themes of a workshop: a few dozen at most; this bounds what one client can make.
    max_groups: int = 500
    # Reactions and comments (docs/board-schema.md): a short thread per note; the board totals
    # bound what one client can pile up, on notes deleted since included.
    max_comment_chars: int = 500
    max_comments_per_note: int = 50
    max_comments: int = 10_000
    max_reactions: int = 50_000


class NotesView(GroupsView, ReactionsView, CommentsView, Protocol):
    """What the judge reads of the live document."""

    def note_count(self) -> int: ...

    def exists(self, note_id: str) -> bool: ...

    def author_id(self, note_id: str) -> str | None: ...

    def text_length(self, note_id: str) -> int: ...

    def key_count(self, note_id: str) -> int: ...


@dataclass(frozen=True, slots=True)
class Writer:
    participant_id: str
    # A facilitator, or a participant on a board that lets everyone change every note.
    may_change_any_note: bool
    # On a board just locked, during the grace: the notes whose text alone this writer may still
    # change (the ones they were writing); None when the board is not locked for them.
    text_only: frozenset[str] | None = None
    # Groups, reactions and comments are made on the shared board only, not in a private
    # document.
    may_group: bool = True
    # Only a facilitator clears someone else's reactions and comments.
    is_facilitator: bool = False


@dataclass(frozen=True, slots=True)
class NoteChanges:
    """Note ids an update creates (new ids), changes (existing notes) and deletes."""

    created: frozenset[str]
    changed: frozenset[str]
    deleted: frozenset[str]
    placed: PlacedUpdate
    groups: GroupChanges = field(default_factory=GroupChanges)


def _forbidden(message: str) -> ArdoiseError:
    return ArdoiseError(ErrorCode.FORBIDDEN, message)


def _invalid(message: str) -> ArdoiseError:
    return ArdoiseError(ErrorCode.INVALID, message)


def _locked() -> ArdoiseError:
    return ArdoiseError(
        ErrorCode.BOARD_LOCKED,
        "the board is locked: only the text of the note being written, for a few seconds",
    )


def _beyond_grace(writer: Writer | None, place: Place, view: NotesView) -> bool:
    """A change a writer in the lock's grace may not make: anything but the text of their notes,
    or the making of the one note they were writing in a form ("Ajouter une idée"), which had
    no entry yet: its id was in their presence's `editing` (docs/protocol.md section 7.1)."""
    if writer is None or writer.text_only is None:
        return False
    # Reactions and comments are not the note being written: refused during the grace.
    if place.note_id not in writer.text_only or place.root != NOTES_ROOT:
        return True
    if not view.exists(place.note_id):
        return False
    return place.key != TEXT_KEY or place.depth < 1


def judge(
    tree: NoteTree,
    update: UpdateItems,
    view: NotesView,
    writer: Writer | None,
    limits: NoteLimits,
    true_deletes: Callable[[], dict[int, list[tuple[int, int]]]],
) -> NoteChanges:
    """Classify the update note by note; raise ArdoiseError when `writer` may not make it.

    `writer` None is the server itself: classified, never refused. `true_deletes` reads the
    document's own delete set, consulted only before refusing or deleting notes on account of
    deletes (the tree's may miss what integration deleted).
    """
    if writer is not None and len(update.items) > limits.max_items_per_update:
        raise _invalid(
            f"an update may add at most {limits.max_items_per_update} items to the notes"
        )
    try:
        placed = place_items(tree, update)
    except UnplacedItem as exc:
        raise ArdoiseError(ErrorCode.OUT_OF_SYNC, f"{exc}; resync") from None
    fresh = tree.new_deletes(update.deletes)
    try:
        changes = _judge(tree, placed, fresh, view, writer, limits)
        if not changes.deleted and not changes.groups.deleted:
            return changes
    except ArdoiseError:
        if not fresh:
            raise
    tree.replace_deleted(true_deletes())
    return _judge(tree, placed, tree.new_deletes(update.deletes), view, writer, limits)


def _judge(
    tree: NoteTree,
    placed: PlacedUpdate,
    new_deletes: dict[int, list[tuple[int, int]]],
    view: NotesView,
    writer: Writer | None,
    limits: NoteLimits,
) -> NoteChanges:
    created: set[str] = set()
    replaced: set[str] = set()
    touched: dict[str, int] = {}  # note id -> content bytes this update adds to it
    inserted_chars: dict[str, int] = {}
    new_keys: dict[str, set[str]] = {}
    groups = GroupTally()
    talk = {REACTIONS_ROOT: GroupTally(), COMMENTS_ROOT: GroupTally()}
    for item, place in placed.places:
        if place is None or item.is_inert:
            continue
        if _beyond_grace(writer, place, view):  # groups too: the grace is for finishing a sentence
            raise _locked()
        if place.root == GROUPS_ROOT and place.note_id is not None:
            groups.add(item, place)
            continue
        if place.root in talk and place.note_id is not None:
            talk[place.root].add(item, place)
            continue
        if place.note_id is None:
            if writer is not None:
                raise _invalid("the notes document holds only the root map 'notes'")
            continue
        note_id = place.note_id
        if place.depth == 0:
            if writer is not None and (item.content_ref != 7 or item.type_ref != _Y_MAP):
                raise _invalid(f"note {note_id[:40]!r} must be a map")
            (replaced if view.exists(note_id) else created).add(note_id)
        elif place.depth > limits.max_depth and writer is not None:
            raise _invalid(f"note {note_id[:40]!r} is nested deeper than {limits.max_depth}")
        touched[note_id] = touched.get(note_id, 0) + item.size
        if item.is_string:
            inserted_chars[note_id] = inserted_chars.get(note_id, 0) + item.length
        if place.depth == 1 and item.parent_sub is not None:
            new_keys.setdefault(note_id, set()).add(item.parent_sub)
        if place.key in AUTHORSHIP_KEYS and writer is not None:
            _check_authorship(note_id, item.text_value, place.key, writer, placed, created)
        if place.key == IMAGE_KEY and writer is not None and not is_image_id(item.text_value):
            raise _invalid("a note's imageId is the id of an image sent to the board")
    deleted: set[str] = set()
    changed_by_delete: set[str] = set()
    for client, ranges in new_deletes.items():
        for start, end in ranges:
            for place in _deleted_places(tree, placed, client, start, end):
                if place is None or place.note_id is None:
                    continue
                if _beyond_grace(writer, place, view):
                    raise _locked()
                if place.root == GROUPS_ROOT:
                    groups.delete(place)
                elif place.root in talk:
                    talk[place.root].delete(place)
                elif place.depth == 0:
                    deleted.add(place.note_id)
                else:
                    changed_by_delete.add(place.note_id)
    # A note replaced in this update has its old entry deleted: a change, not a deletion.
    deleted = {n for n in deleted - replaced - created if view.exists(n)}
    changed = ({*touched, *changed_by_delete} - created - deleted) | replaced
    changed = {n for n in changed if view.exists(n)}
    group_changes = judge_groups(groups, placed, view, writer, limits, created)
    judge_reactions(talk[REACTIONS_ROOT], view, writer, limits, created)
    judge_comments(talk[COMMENTS_ROOT], placed, view, writer, limits, created)
    if writer is None:
        return NoteChanges(
            frozenset(created), frozenset(changed), frozenset(deleted), placed, group_changes
        )
    for note_id in created:
        if not any(item.parent_sub == "authorId" for item in placed.new_notes.get(note_id, [])):
            raise _invalid(f"new note {note_id[:40]!r} has no authorId")
    if not writer.may_change_any_note:
        for note_id in changed | deleted:
            if view.author_id(note_id) != writer.participant_id:
                raise _forbidden("participants change only their own notes on this board")
    _check_limits(view, limits, created, deleted, touched, inserted_chars, new_keys)
    return NoteChanges(
        frozenset(created), frozenset(changed), frozenset(deleted), placed, group_changes
    )


def _deleted_places(
    tree: NoteTree, placed: PlacedUpdate, client: int, start: int, end: int
) -> list[Place | None]:
    places = list(tree.places_in(client, start, end))
    for item, place in placed.places:
        if item.client == client and item.clock < end and start < item.clock + item.length:
            places.append(place)
    return places


def _check_authorship(
    note_id: str,
    value: str | None,
    key: str,
    writer: Writer,
    placed: PlacedUpdate,
    created: set[str],
) -> None:
    if note_id not in placed.new_notes:
        raise _forbidden("a note's author is set when it is created")
    if key == "authorId" and value != writer.participant_id:
        raise _forbidden("a new note's authorId must be its writer's own id")
    if key == "author" and (
        value is None
        or len(value) > _MAX_AUTHOR_CHARS
        or any(ord(char) < 0x20 or ord(char) == 0x7F for char in value)
    ):
        raise _invalid("a new note's author must be a name of at most 80 characters")


def _check_limits(
    view: NotesView,
    limits: NoteLimits,
    created: set[str],
    deleted: set[str],
    touched: dict[str, int],
    inserted_chars: dict[str, int],
    new_keys: dict[str, set[str]],
) -> None:
    if created and view.note_count() + len(created) - len(deleted) > limits.max_notes:
        raise _invalid(f"a board holds at most {limits.max_notes} notes")
    for size in touched.values():
        if size > limits.max_note_bytes_per_update:
            raise _invalid(
                f"an update may add at most {limits.max_note_bytes_per_update} bytes to a note"
            )
    is_new = created.__contains__
    for note_id, chars in inserted_chars.items():
        before = 0 if is_new(note_id) else view.text_length(note_id)
        if before + chars > 2 * limits.max_note_chars:
            raise _invalid(f"a note's text holds at most {limits.max_note_chars} characters")
    for note_id, keys in new_keys.items():
        before = 0 if is_new(note_id) else view.key_count(note_id)
        if before + len(keys) > limits.max_keys:
            raise _invalid(f"a note holds at most {limits.max_keys} keys")
