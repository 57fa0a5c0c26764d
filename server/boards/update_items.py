"""Every item of a Yjs v1 update with where it goes (its parent or neighbours), read unapplied.

`update_meta` reads only clock ranges, on every update; this reader is for the notes documents,
whose updates the board judges note by note before applying them (`note_tree`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from server.boards.update_meta import MalformedUpdate, read_uint, skip_content

_GC_REF, _DELETED_REF, _STRING_REF, _TYPE_REF, _ANY_REF, _SKIP_REF = 0, 1, 4, 7, 8, 10
_ANY_STRING = 119
_ANY_TRUE = b"\x01\x78"  # one value, `true`

ItemId = tuple[int, int]


class Item(NamedTuple):
    """One struct of an update. GC structs (content already collected) carry no place."""

    client: int
    clock: int
    length: int
    origin: ItemId | None
    right_origin: ItemId | None
    # Written only when the item has no neighbours: a root type's name, or its parent's id.
    parent_root: str | None
    parent_id: ItemId | None
    parent_sub: str | None
    content_ref: int
    type_ref: int | None
    # Bytes of content: what the item costs to keep.
    size: int
    # A map value that is one string (an `authorId`), else None.
    text_value: str | None
    # A map value that is exactly `true` (a reaction, docs/board-schema.md).
    is_true: bool = False

    @property
    def is_inert(self) -> bool:
        """Collected or deleted content: it takes a place in the clocks and holds nothing."""
        return self.content_ref in (_GC_REF, _DELETED_REF)

    @property
    def is_string(self) -> bool:
        return self.content_ref == _STRING_REF


@dataclass(frozen=True, slots=True)
class UpdateItems:
    items: list[Item]
    # client -> [(start, end)] clock ranges the update deletes.
    deletes: dict[int, list[tuple[int, int]]]


def _collected(client: int, clock: int, length: int) -> Item:
    return Item(client, clock, length, None, None, None, None, None, _GC_REF, None, 0, None)


def _decoded_string(data: bytes, pos: int) -> tuple[str, int]:
    size, start = read_uint(data, pos)
    end = start + size
    if end > len(data):
        raise MalformedUpdate("string runs past the end")
    try:
        return data[start:end].decode(), end
    except UnicodeDecodeError:
        raise MalformedUpdate("string is not valid UTF-8") from None


def _id(data: bytes, pos: int) -> tuple[ItemId, int]:
    client, pos = read_uint(data, pos)
    clock, pos = read_uint(data, pos)
    return (client, clock), pos


def _one_string_value(data: bytes, pos: int) -> str | None:
    """The value of an Any content that holds exactly one string, else None."""
    count, pos = read_uint(data, pos)
    if count != 1 or data[pos] != _ANY_STRING:
        return None
    return _decoded_string(data, pos + 1)[0]


def read_items(update: bytes) -> UpdateItems:
    """Read an update that `update_meta.parse_update` accepted, item by item."""
    data = update if type(update) is bytes else bytes(update)
    try:
        return _read(data)
    except IndexError:
        raise MalformedUpdate("update is truncated") from None


def _read(data: bytes) -> UpdateItems:
    items: list[Item] = []
    sections, pos = read_uint(data, 0)
    for _ in range(sections):
        count, pos = read_uint(data, pos)
        client, pos = read_uint(data, pos)
        clock, pos = read_uint(data, pos)
        for _ in range(count):
            info = data[pos]
            pos += 1
            ref = info & 0x1F
            if ref in (_GC_REF, _SKIP_REF):
                length, pos = read_uint(data, pos)
                if ref == _GC_REF:
                    items.append(_collected(client, clock, length))
                clock += length
                continue
            origin = right_origin = parent_id = None
            parent_root = parent_sub = None
            if info & 0x80:
                origin, pos = _id(data, pos)
            if info & 0x40:
                right_origin, pos = _id(data, pos)
            if not info & 0xC0:
                parent_info = data[pos]
                pos += 1
                if parent_info == 1:
                    parent_root, pos = _decoded_string(data, pos)
                else:
                    parent_id, pos = _id(data, pos)
                if info & 0x20:
                    parent_sub, pos = _decoded_string(data, pos)
            start = pos
            type_ref = data[pos] if ref == _TYPE_REF else None
            text_value = _one_string_value(data, pos) if ref == _ANY_REF else None
            length, pos = skip_content(data, pos, ref)
            items.append(
                Item(
                    client,
                    clock,
                    length,
                    origin,
                    right_origin,
                    parent_root,
                    parent_id,
                    parent_sub,
                    ref,
                    type_ref,
                    pos - start,
                    text_value,
                    ref == _ANY_REF and data[start:pos] == _ANY_TRUE,
                )
            )
            clock += length
    deletes: dict[int, list[tuple[int, int]]] = {}
    sections, pos = read_uint(data, pos)
    for _ in range(sections):
        client, pos = read_uint(data, pos)
        count, pos = read_uint(data, pos)
        for _ in range(count):
            clock, pos = read_uint(data, pos)
            length, pos = read_uint(data, pos)
            deletes.setdefault(client, []).append((clock, clock + length))
    return UpdateItems(items, deletes)
