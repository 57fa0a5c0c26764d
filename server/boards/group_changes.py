"""What an update does to the groups of notes (themes), and whether its writer may do it.

Groups sit in the root map `groups` of the notes document (docs/board-schema.md). Anyone who may
write notes creates a group in their own name; its creator and the facilitator rename, fold and
delete it (everyone, when the facilitator lets participants change every note). Putting a note in
a group is a change to the note, judged as such by `note_changes`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from server.boards.note_tree import Place, PlacedUpdate
from server.boards.update_items import Item
from server.errors import ArdoiseError
from server.protocol import ErrorCode

if TYPE_CHECKING:
    from server.boards.note_changes import NoteLimits, Writer

_Y_MAP = 1
_TYPE_REF = 7
# A theme's title is a heading, not a note: one line's worth.
MAX_GROUP_TITLE_CHARS = 200


class GroupsView(Protocol):
    """What the judge reads of the live document's groups."""

    def group_count(self) -> int: ...

    def group_exists(self, group_id: str) -> bool: ...

    def group_creator(self, group_id: str) -> str | None: ...

    def group_key_count(self, group_id: str) -> int: ...

    def exists(self, note_id: str) -> bool: ...


@dataclass(slots=True)
class GroupTally:
    """The groups one update creates, changes and deletes, gathered item by item."""

    items: list[tuple[Item, Place]] = field(default_factory=list)
    deleted_entries: set[str] = field(default_factory=set)
    changed_by_delete: set[str] = field(default_factory=set)

    def add(self, item: Item, place: Place) -> None:
        self.items.append((item, place))

    def delete(self, place: Place) -> None:
        assert place.note_id is not None  # the caller keeps only places inside a group
        (self.deleted_entries if place.depth == 0 else self.changed_by_delete).add(place.note_id)


@dataclass(frozen=True, slots=True)
class GroupChanges:
    created: frozenset[str] = frozenset()
    changed: frozenset[str] = frozenset()
    deleted: frozenset[str] = frozenset()


def _forbidden(message: str) -> ArdoiseError:
    return ArdoiseError(ErrorCode.FORBIDDEN, message)


def _invalid(message: str) -> ArdoiseError:
    return ArdoiseError(ErrorCode.INVALID, message)


def judge_groups(
    tally: GroupTally,
    placed: PlacedUpdate,
    view: GroupsView,
    writer: Writer | None,
    limits: NoteLimits,
    created_notes: set[str],
) -> GroupChanges:
    """Classify the update's group changes; raise ArdoiseError when `writer` may not make them."""
    created: set[str] = set()
    replaced: set[str] = set()
    touched: dict[str, int] = {}
    new_keys: dict[str, set[str]] = {}
    for item, place in tally.items:
        group_id = place.note_id
        assert group_id is not None
        if place.depth == 0:
            if writer is not None and (item.content_ref != _TYPE_REF or item.type_ref != _Y_MAP):
                raise _invalid(f"group {group_id[:40]!r} must be a map")
            (replaced if view.group_exists(group_id) else created).add(group_id)
        elif place.depth > 1 and writer is not None:
            raise _invalid("a group holds plain values only")
        touched[group_id] = touched.get(group_id, 0) + item.size
        if place.depth == 1 and item.parent_sub is not None:
            new_keys.setdefault(group_id, set()).add(item.parent_sub)
        if writer is not None and place.key is not None:
            _check_key(group_id, item, place.key, writer, placed)
    deleted = {g for g in tally.deleted_entries - replaced - created if view.group_exists(g)}
    changed = ({*touched, *tally.changed_by_delete} - created - deleted) | replaced
    changed = {g for g in changed if view.group_exists(g)}
    changes = GroupChanges(frozenset(created), frozenset(changed), frozenset(deleted))
    if writer is None or not (created or changed or deleted):
        return changes
    if not writer.may_group:
        raise _forbidden("groups are made on the shared board, not in private writing")
    for group_id in created:
        if not any(i.parent_sub == "createdBy" for i in placed.new_groups.get(group_id, [])):
            raise _invalid(f"new group {group_id[:40]!r} has no createdBy")
        # Votes are kept by id, notes' and groups' alike: one id names one thing.
        if view.exists(group_id) or group_id in created_notes:
            raise _invalid(f"group {group_id[:40]!r} has the id of a note")
    for note_id in created_notes:
        if view.group_exists(note_id):
            raise _invalid(f"note {note_id[:40]!r} has the id of a group")
    if not writer.may_change_any_note:
        for group_id in changed | deleted:
            if view.group_creator(group_id) != writer.participant_id:
                raise _forbidden("participants rename, fold and ungroup only the groups they made")
    if created and view.group_count() + len(created) - len(deleted) > limits.max_groups:
        raise _invalid(f"a board holds at most {limits.max_groups} groups")
    for size in touched.values():
        if size > limits.max_note_bytes_per_update:
            raise _invalid(
                f"an update may add at most {limits.max_note_bytes_per_update} bytes to a group"
            )
    for group_id, keys in new_keys.items():
        before = 0 if group_id in created else view.group_key_count(group_id)
        if before + len(keys) > limits.max_keys:
            raise _invalid(f"a group holds at most {limits.max_keys} keys")
    return changes


def _check_key(group_id: str, item: Item, key: str, writer: Writer, placed: PlacedUpdate) -> None:
    if key == "createdBy":
        if group_id not in placed.new_groups:
            raise _forbidden("a group's creator is set when it is created")
        if item.text_value != writer.participant_id:
            raise _forbidden("a new group's createdBy must be its writer's own id")
    elif key == "title" and (
        item.text_value is None or len(item.text_value) > MAX_GROUP_TITLE_CHARS
    ):
        raise _invalid(f"a group's title is a text of at most {MAX_GROUP_TITLE_CHARS} characters")
