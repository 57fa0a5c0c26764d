"""Strict decoding of Yjs v1 updates into the clock ranges, references and deletes they carry."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass

# lib0 refuses var-uints above Number.MAX_SAFE_INTEGER; we also stop after the 8 bytes such a
# number needs, so a long run of continuation bytes cannot stall the reader.
_MAX_SAFE = (1 << 53) - 1
_LONG_UINT = re.compile(rb"[\x80-\xff]{1,7}[\x00-\x7f]").match
# Multi-byte var-uints are mostly the same few client ids, and decoding one byte at a time is
# the slowest step of a parse: remember them, in a memo that hostile input cannot grow forever.
_LONG_UINT_MEMO = 4096
_long_uints: dict[bytes, int] = {}
# yrs keeps clocks in a u32 and silently wraps larger ones (an origin at clock 2**32 + 1 lands on
# clock 1 of the board), and subtracts them as i32 (a struct at clock 2**31 + 1 on an empty board
# is integrated, not kept pending): any clock or range end past 2**31 - 1 is refused.
_MAX_CLOCK = (1 << 31) - 1
# pycrdt's Rust core recurses on nested `any` values and aborts the whole process when deep.
_MAX_ANY_DEPTH = 64
# lib0 `any` types of fixed size: undefined, null, float32, float64, bigint64, false, true.
_ANY_FIXED = {127: 0, 126: 0, 124: 4, 123: 8, 122: 8, 121: 0, 120: 0}
_GC_REF, _SKIP_REF = 0, 10
# Yjs reads type refs 0..6 only (yrs knows more, on which Yjs clients would crash). YXmlElement
# (3) carries a node name. So does YXmlHook (5) in Yjs, but pycrdt's yrs reads no name there and
# takes the name's bytes for the next struct: the two would disagree, so hooks are refused.
_MAX_TYPE_REF = 6
_XML_ELEMENT, _XML_HOOK = 3, 5


class MalformedUpdate(ValueError):
    """The bytes are not something that Yjs and yrs would both decode the same way."""


@dataclass(frozen=True, slots=True)
class UpdateMeta:
    """What an update adds and what it needs, read without applying it."""

    structs: dict[int, list[tuple[int, int]]]
    references: dict[int, int]
    deletes: dict[int, list[tuple[int, int]]]

    def is_empty(self) -> bool:
        return not self.structs and not self.deletes


def _uint(data: bytes, pos: int) -> tuple[int, int]:
    """Read a lib0 var-uint; return (value, next position)."""
    byte = data[pos]
    if byte < 0x80:
        return byte, pos + 1
    match = _LONG_UINT(data, pos)
    if match is None:
        raise MalformedUpdate("var-uint truncated or longer than 8 bytes")
    raw = match.group()
    value = _long_uints.get(raw)
    if value is None:
        value = 0
        for shift, byte in zip(range(0, 56, 7), raw, strict=False):
            value |= (byte & 0x7F) << shift
        if value > _MAX_SAFE:
            raise MalformedUpdate("var-uint above 2**53 - 1")
        if len(_long_uints) >= _LONG_UINT_MEMO:
            _long_uints.clear()
        _long_uints[raw] = value
    return value, match.end()


def _string(data: bytes, pos: int) -> tuple[int, int]:
    """Skip a var-string; return (its length in UTF-16 code units, next position).

    Invalid UTF-8 is refused, as lib0's fatal TextDecoder and yrs do.
    """
    size, pos = _uint(data, pos)
    end = pos + size
    if end > len(data):
        raise MalformedUpdate("string runs past the end")
    raw = data[pos:end]
    if raw.isascii():
        return size, end
    try:
        return len(raw.decode().encode("utf-16-le")) >> 1, end
    except UnicodeDecodeError:
        raise MalformedUpdate("string is not valid UTF-8") from None


def _finite(number: str) -> float:
    """JSON number hook: serde_json refuses NaN, Infinity and numbers out of f64 range."""
    if not math.isfinite(value := float(number)):
        raise MalformedUpdate(f"JSON number {number} out of range")
    return value


def _json(data: bytes, pos: int) -> int:
    """Check a JSON var-string: Yjs's JSON.parse throws on bad JSON, and yrs (serde_json) also
    refuses NaN, out-of-range numbers and lone surrogate escapes."""
    end = _string(data, pos)[1]
    text = data[end - _uint(data, pos)[0] : end].decode()
    try:
        value = json.loads(text, parse_constant=_finite, parse_float=_finite, parse_int=_finite)
        if "\\u" in text:
            json.dumps(value, ensure_ascii=False).encode()
    except (ValueError, RecursionError):
        raise MalformedUpdate("content is not valid JSON") from None
    return end


def _any(data: bytes, pos: int, depth: int) -> int:
    """Skip one lib0 `any` value; return the next position."""
    if depth > _MAX_ANY_DEPTH:
        raise MalformedUpdate("any value nested too deeply")
    kind = data[pos]
    pos += 1
    size = _ANY_FIXED.get(kind)
    if size is not None:
        return pos + size
    if kind == 125:  # var-int: sign in 0x40 and 6 bits in the first byte, then 7 bits a byte
        byte = data[pos]
        value = byte & 0x3F
        shift = 6
        while byte >= 0x80:
            if shift > 48:
                raise MalformedUpdate("var-int longer than 8 bytes")
            pos += 1
            byte = data[pos]
            value |= (byte & 0x7F) << shift
            shift += 7
        if value > _MAX_SAFE:
            raise MalformedUpdate("var-int beyond 2**53 - 1")
        return pos + 1
    if kind == 119:
        return _string(data, pos)[1]
    if kind in (117, 118):  # object (key, value pairs) or array
        count, pos = _uint(data, pos)
        for _ in range(count):
            if kind == 118:
                pos = _string(data, pos)[1]
            pos = _any(data, pos, depth + 1)
        return pos
    if kind == 116:
        size, pos = _uint(data, pos)
        return pos + size
    raise MalformedUpdate(f"unknown any type {kind}")


def _content(data: bytes, pos: int, ref: int) -> tuple[int, int]:
    """Skip an Item's content; return (its length in clock ticks, next position)."""
    if ref == 8:  # Any: values of a map entry or array run
        count, pos = _uint(data, pos)
        for _ in range(count):
            pos = _any(data, pos, 0)
        return count, pos
    if ref == 4:  # String: its length counts UTF-16 code units, so an emoji counts 2
        return _string(data, pos)
    if ref == 7:  # Type
        type_ref = data[pos]
        pos += 1
        if type_ref > _MAX_TYPE_REF or type_ref == _XML_HOOK:
            raise MalformedUpdate(f"unsupported type ref {type_ref}")
        if type_ref == _XML_ELEMENT:
            pos = _string(data, pos)[1]
        return 1, pos
    if ref == 1:  # Deleted
        return _uint(data, pos)
    if ref == 2:  # legacy JSON: Yjs reads `count` strings, yrs reads one more, so they disagree
        raise MalformedUpdate("legacy JSON content")
    if ref == 3:  # Binary
        size, pos = _uint(data, pos)
        return 1, pos + size
    if ref == 5:  # Embed
        return 1, _json(data, pos)
    if ref == 6:  # Format: key, JSON value
        return 1, _json(data, _string(data, pos)[1])
    if ref == 9:  # Doc: guid, options
        return 1, _any(data, _string(data, pos)[1], 0)
    raise MalformedUpdate(f"unknown content ref {ref}")


def _parse(data: bytes) -> UpdateMeta:
    uint = _uint
    structs: dict[int, list[tuple[int, int]]] = {}
    references: dict[int, int] = {}
    deletes: dict[int, list[tuple[int, int]]] = {}
    seen: set[int] = set()
    sections, pos = uint(data, 0)
    for _ in range(sections):
        count, pos = uint(data, pos)
        client, pos = uint(data, pos)
        clock, pos = uint(data, pos)
        # Yjs keeps only the last section of a client listed twice, yrs keeps both.
        if client in seen:
            raise MalformedUpdate(f"client {client} is listed twice")
        seen.add(client)
        ranges: list[tuple[int, int]] = []
        start = clock
        for _ in range(count):
            info = data[pos]
            pos += 1
            ref = info & 0x1F
            if ref in (_GC_REF, _SKIP_REF):
                # Yjs masks the flag bits here but yrs does not: with flags they disagree.
                if info != ref:
                    raise MalformedUpdate(f"GC or Skip struct with flags {info:#x}")
                length, pos = uint(data, pos)
                if ref == _SKIP_REF:  # a gap in what this update carries, not content
                    if length:
                        if clock > start:
                            ranges.append((start, clock))
                        clock += length
                        start = clock
                    continue
            else:
                if info & 0xC0:
                    ids = (info >> 7) + ((info >> 6) & 1)
                else:
                    parent_info = data[pos]  # Yjs writes 1 (root name follows) or 0 (an ID)
                    pos += 1
                    if parent_info > 1:
                        raise MalformedUpdate(f"parent info {parent_info}")
                    if parent_info == 1:
                        pos = _string(data, pos)[1]
                    ids = 1 - parent_info
                for _ in range(ids):
                    ref_client, pos = uint(data, pos)
                    ref_clock, pos = uint(data, pos)
                    # An item can only point at what existed when it was made: its own client's
                    # earlier items. yrs leaves anything else pending forever.
                    if ref_clock >= _MAX_CLOCK or (ref_client == client and ref_clock >= clock):
                        raise MalformedUpdate(f"item refers to impossible clock {ref_clock}")
                    if references.get(ref_client, 0) <= ref_clock:
                        references[ref_client] = ref_clock + 1
                if info & 0xE0 == 0x20:
                    pos = _string(data, pos)[1]
                length, pos = _content(data, pos, ref)
            if length == 0:
                raise MalformedUpdate(f"empty struct at client {client} clock {clock}")
            clock += length
        if clock > _MAX_CLOCK:
            raise MalformedUpdate("clock beyond 2**31 - 1")
        if clock > start:
            ranges.append((start, clock))
        if ranges:
            structs[client] = ranges
    sections, pos = uint(data, pos)
    for _ in range(sections):
        client, pos = uint(data, pos)
        count, pos = uint(data, pos)
        for _ in range(count):
            clock, pos = uint(data, pos)
            length, pos = uint(data, pos)
            if length == 0 or clock + length > _MAX_CLOCK:
                raise MalformedUpdate(f"delete range ({clock}, {length}) out of bounds")
            deletes.setdefault(client, []).append((clock, length))
    if pos != len(data):  # also catches a byte array or float that claimed more than was left
        raise MalformedUpdate("update length does not match its contents")
    return UpdateMeta(structs, references, deletes)


def parse_update(update: bytes) -> UpdateMeta:
    """Read a v1 update without applying it, so that the board can refuse it first."""
    data = update if type(update) is bytes else bytes(update)
    try:
        return _parse(data)
    except IndexError:
        raise MalformedUpdate("update is truncated") from None


def decode_state_vector(state: bytes) -> dict[int, int]:
    """Read an encoded state vector (as `Doc.get_state()` returns it) into {client: clock}."""
    data = state if type(state) is bytes else bytes(state)
    result: dict[int, int] = {}
    try:
        count, pos = _uint(data, 0)
        for _ in range(count):
            client, pos = _uint(data, pos)
            clock, pos = _uint(data, pos)
            if client in result or clock > _MAX_CLOCK:
                raise MalformedUpdate(f"bad state vector entry for client {client}")
            result[client] = clock
    except IndexError:
        raise MalformedUpdate("state vector is truncated") from None
    if pos != len(data):
        raise MalformedUpdate("trailing bytes after the state vector")
    return result


def missing_dependency(meta: UpdateMeta, state: dict[int, int]) -> str | None:
    """Why applying the update to a board at `state` would leave something pending, or None.

    pycrdt keeps pending structs and deletes out of `get_update()`, so a snapshot taken after
    such an update would silently lose them.
    """
    known = state
    if meta.structs:
        known = dict(state)
        for client, ranges in meta.structs.items():
            have = state.get(client, 0)
            for start, end in ranges:
                if start > have:
                    return f"client {client} starts at clock {start} but the board has {have}"
                if end > have:
                    have = end
            known[client] = have
    for client, clock in meta.references.items():
        have = known.get(client, 0)
        if clock > have:
            return f"an item refers to client {client} clock {clock - 1} but the board has {have}"
    for client, ranges in meta.deletes.items():
        have = known.get(client, 0)
        for clock, length in ranges:
            if (end := clock + length) > have:
                return f"a delete reaches client {client} clock {end - 1} but the board has {have}"
    return None


# The readers above, for update_items (which reads the same encoding in more detail).
read_uint = _uint
skip_content = _content
