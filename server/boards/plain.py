"""Shared Yjs types read into plain Python values, never deeper than the board's shape needs."""

from __future__ import annotations

from typing import Any

from pycrdt import Array, Doc, Map, Text, XmlElement, XmlFragment, XmlText

# A board is a few levels deep (a note's map of fields, a zone's rect); anything deeper is a
# client's own nesting, read as absent. pycrdt's `to_py()` recurses without bound: a note of
# 1,000 nested maps made every board read, export and the end of private writing fail.
MAX_DEPTH = 8


def plain(value: Any, depth: int = 0) -> Any:
    """`value` as dicts, lists, strings and numbers; a shared type below MAX_DEPTH is None."""
    if isinstance(value, Text):
        return str(value)
    if isinstance(value, Map | Array):
        if depth >= MAX_DEPTH:
            return None
        if isinstance(value, Map):
            return {key: plain(item, depth + 1) for key, item in value.items()}
        return [plain(item, depth + 1) for item in value]
    if isinstance(value, XmlElement | XmlFragment | XmlText | Doc):
        return None  # XML types and sub-documents are no part of a board
    return value


def plain_map(value: Map[Any]) -> dict[str, Any]:
    """A root map (`meta`, `zones`, `notes`...) as a dict, empty when absent."""
    return plain(value) or {}
