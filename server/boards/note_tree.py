"""Which note every item of a notes document belongs to, so that updates are judged before applying.

A Yjs update names an item's parent only when the item has no neighbours; otherwise the item sits
beside its neighbour, in the same parent. So to know which notes an update creates, changes and
deletes, the board must know where every item it already holds sits: the tree records that, and
which clock ranges are deleted, as updates are accepted (docs/findings.md, "Judging an update").
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial

from server.boards.update_items import Item, ItemId, UpdateItems, read_items

NOTES_ROOT = "notes"
# Groups of notes (themes) sit in their own root map of the same document (docs/board-schema.md).
GROUPS_ROOT = "groups"
# Who wrote a note is fixed when it is created.
AUTHORSHIP_KEYS = frozenset({"authorId", "author"})
# A note's text: the one thing a participant may still change, for a few seconds, on a board just
# locked (docs/protocol.md section 7.1, the lock's grace).
TEXT_KEY = "text"
# The picture of an image note: the judge checks it names an image the way the server names them.
IMAGE_KEY = "imageId"
# The keys of a group that the judge reads the value of: who created it (fixed) and its title.
GROUP_KEYS = frozenset({"createdBy", "title"})
# Reactions to notes: one `true` per note, emoji and participant, each its own key of this root map
# (so that two people reacting at once never race to create a nested map; docs/board-schema.md).
REACTIONS_ROOT = "reactions"
# Comments on notes: id -> a map of plain values, whose keys below the judge reads.
COMMENTS_ROOT = "comments"
COMMENT_KEYS = frozenset({"noteId", "authorId", "author", "text"})
_WATCHED_KEYS = {
    NOTES_ROOT: AUTHORSHIP_KEYS | {TEXT_KEY, IMAGE_KEY},
    GROUPS_ROOT: GROUP_KEYS,
    REACTIONS_ROOT: frozenset[str](),
    COMMENTS_ROOT: COMMENT_KEYS,
}


@dataclass(frozen=True, slots=True)
class Place:
    """Where an item sits: in which note (or group), and how deep (0: its own entry in its root
    map)."""

    note_id: str | None  # None: outside the root maps `notes` and `groups`
    depth: int
    # The key the item is under at depth 1 when the judge reads it (authorship, the text, a
    # group's); inside a note's text, at any depth, the text's; None otherwise.
    key: str | None = None
    # The root map: `notes`, or `groups` (then `note_id` is a group's id).
    root: str = NOTES_ROOT


# Content already collected: it sits nowhere and holds nothing.
_NOWHERE: Place | None = None

# Where an id sits, if known yet: (found, place).
_PlaceOf = Callable[[ItemId], tuple[bool, Place | None]]


class _Ranges:
    """Disjoint clock ranges of one client, sorted."""

    __slots__ = ("ends", "starts")

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def add(self, start: int, end: int) -> None:
        index = bisect_right(self.starts, start)
        if index and self.ends[index - 1] >= start:
            index -= 1
            start = self.starts[index]
            end = max(end, self.ends[index])
        last = index
        while last < len(self.starts) and self.starts[last] <= end:
            end = max(end, self.ends[last])
            last += 1
        self.starts[index:last] = [start]
        self.ends[index:last] = [end]

    def missing(self, start: int, end: int) -> Iterator[tuple[int, int]]:
        """The parts of [start, end) not covered."""
        index = max(0, bisect_right(self.starts, start) - 1)
        while start < end and index < len(self.starts):
            if self.ends[index] <= start:
                index += 1
                continue
            if self.starts[index] > start:
                yield start, min(end, self.starts[index])
            start = max(start, self.ends[index])
            index += 1
        if start < end:
            yield start, end


class _Spans:
    """One client's clocks, each run mapped to a place; appended in clock order."""

    __slots__ = ("ends", "places", "starts")

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.places: list[Place | None] = []

    def add(self, start: int, end: int, place: Place | None) -> None:
        if self.ends and self.ends[-1] == start and self.places[-1] == place:
            self.ends[-1] = end
            return
        if self.ends and start < self.ends[-1]:
            index = bisect_right(self.starts, start)
            self.starts.insert(index, start)
            self.ends.insert(index, end)
            self.places.insert(index, place)
            return
        self.starts.append(start)
        self.ends.append(end)
        self.places.append(place)

    def find(self, clock: int) -> tuple[bool, Place | None]:
        index = bisect_right(self.starts, clock) - 1
        if index >= 0 and clock < self.ends[index]:
            return True, self.places[index]
        return False, None

    def overlapping(self, start: int, end: int) -> Iterator[Place | None]:
        index = max(0, bisect_right(self.starts, start) - 1)
        while index < len(self.starts) and self.starts[index] < end:
            if self.ends[index] > start:
                yield self.places[index]
            index += 1


class NoteTree:
    """Where the items of one notes document sit, and which of its clocks are deleted."""

    def __init__(self) -> None:
        self._spans: dict[int, _Spans] = {}
        self._deleted: dict[int, _Ranges] = {}
        self._places: dict[Place, Place] = {}

    @classmethod
    def from_updates(cls, updates: Iterable[bytes]) -> NoteTree:
        """A tree of the document these stored updates make, in order (pure Python: may run in a
        thread while the event loop goes on)."""
        tree = cls()
        for update in updates:
            tree.record(place_items(tree, read_items(update)))
        return tree

    def find(self, item_id: ItemId) -> tuple[bool, Place | None]:
        spans = self._spans.get(item_id[0])
        if spans is None:
            return False, None
        return spans.find(item_id[1])

    def record(self, placed: PlacedUpdate) -> None:
        """Remember an accepted update's items and deletes."""
        for item, place in placed.places:
            spans = self._spans.get(item.client)
            if spans is None:
                spans = self._spans[item.client] = _Spans()
            if place is not None:
                place = self._places.setdefault(place, place)
            spans.add(item.clock, item.clock + item.length, place)
            if item.is_inert:
                self._deleted_ranges(item.client).add(item.clock, item.clock + item.length)
        for client, ranges in placed.deletes.items():
            deleted = self._deleted_ranges(client)
            for start, end in ranges:
                deleted.add(start, end)

    def _deleted_ranges(self, client: int) -> _Ranges:
        ranges = self._deleted.get(client)
        if ranges is None:
            ranges = self._deleted[client] = _Ranges()
        return ranges

    def new_deletes(
        self, deletes: dict[int, list[tuple[int, int]]]
    ) -> dict[int, list[tuple[int, int]]]:
        """The parts of `deletes` not known to be deleted already (clients resend theirs)."""
        fresh: dict[int, list[tuple[int, int]]] = {}
        for client, ranges in deletes.items():
            known = self._deleted.get(client)
            parts = (
                [part for start, end in ranges for part in known.missing(start, end)]
                if known
                else list(ranges)
            )
            if parts:
                fresh[client] = parts
        return fresh

    def places_in(self, client: int, start: int, end: int) -> Iterator[Place | None]:
        spans = self._spans.get(client)
        if spans is not None:
            yield from spans.overlapping(start, end)

    def replace_deleted(self, deletes: dict[int, list[tuple[int, int]]]) -> None:
        """Take the document's own delete set (it also holds what integration deleted)."""
        self._deleted = {}
        for client, ranges in deletes.items():
            known = self._deleted_ranges(client)
            for start, end in ranges:
                known.add(start, end)


@dataclass(frozen=True, slots=True)
class PlacedUpdate:
    """An update's items with their places, and its deletes."""

    places: list[tuple[Item, Place | None]]
    deletes: dict[int, list[tuple[int, int]]]
    new_notes: dict[str, list[Item]] = field(default_factory=dict)
    # The same for groups: each new group's own keys.
    new_groups: dict[str, list[Item]] = field(default_factory=dict)
    # And for comments.
    new_comments: dict[str, list[Item]] = field(default_factory=dict)


class UnplacedItem(ValueError):
    """An item refers to something neither the document nor the update holds."""


def place_items(tree: NoteTree, update: UpdateItems) -> PlacedUpdate:
    """Find where each item of the update sits, from the tree and from the update itself."""
    by_client: dict[int, list[Item]] = {}
    for item in update.items:
        by_client.setdefault(item.client, []).append(item)
    starts = {client: [item.clock for item in items] for client, items in by_client.items()}
    placed: dict[int, Place | None] = {}  # by id(item)

    def in_update(item_id: ItemId) -> Item | None:
        items = by_client.get(item_id[0])
        if items is None:
            return None
        index = bisect_right(starts[item_id[0]], item_id[1]) - 1
        if index < 0:
            return None
        item = items[index]
        return item if item_id[1] < item.clock + item.length else None

    def place_of(item_id: ItemId, waiting: list[Item]) -> tuple[bool, Place | None]:
        found, place = tree.find(item_id)
        if found:
            return True, place
        item = in_update(item_id)
        if item is None:
            raise UnplacedItem(f"item refers to unknown {item_id}")
        if id(item) in placed:
            return True, placed[id(item)]
        waiting.append(item)
        return False, None

    for first in update.items:
        stack = [first]
        while stack:
            item = stack[-1]
            if id(item) in placed:
                stack.pop()
                continue
            if len(stack) > len(update.items):
                raise UnplacedItem("items refer to each other in a circle")
            waiting: list[Item] = []
            place = _place(item, partial(place_of, waiting=waiting))
            if waiting:
                stack.extend(waiting)
                continue
            placed[id(item)] = place
            stack.pop()
    places = [(item, placed[id(item)]) for item in update.items]
    new_entries: dict[str, dict[str, list[Item]]] = {root: {} for root in _WATCHED_KEYS}
    for _, place in places:
        if place is not None and place.note_id is not None and place.depth == 0:
            new_entries[place.root].setdefault(place.note_id, [])
    for item, place in places:
        if place is not None and place.depth == 1 and place.note_id is not None:
            entries = new_entries[place.root].get(place.note_id)
            if entries is not None:
                entries.append(item)
    return PlacedUpdate(
        places,
        update.deletes,
        new_entries[NOTES_ROOT],
        new_entries[GROUPS_ROOT],
        new_entries[COMMENTS_ROOT],
    )


def _place(item: Item, place_of: _PlaceOf) -> Place | None:
    if item.content_ref == 0:
        return _NOWHERE
    neighbour = item.origin or item.right_origin
    if neighbour is not None:
        found, place = place_of(neighbour)
        return place if found else None
    if item.parent_root is not None:
        if item.parent_root not in _WATCHED_KEYS or item.parent_sub is None:
            return Place(None, 0)
        return Place(item.parent_sub, 0, root=item.parent_root)
    assert item.parent_id is not None
    found, parent = place_of(item.parent_id)
    if not found or parent is None:
        return None
    if parent.note_id is None:
        return Place(None, parent.depth + 1)
    if parent.key == TEXT_KEY:
        key: str | None = TEXT_KEY  # inside the text: its characters
    elif parent.depth == 0 and item.parent_sub in _WATCHED_KEYS[parent.root]:
        key = item.parent_sub
    else:
        key = None
    return Place(parent.note_id, parent.depth + 1, key, parent.root)
