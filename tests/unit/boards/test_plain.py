"""Reading shared types into plain values: the board's shape whole, hostile nesting cut off."""

from __future__ import annotations

from typing import Any

from pycrdt import Array, Doc, Map, Text, XmlFragment

from server.boards.plain import MAX_DEPTH, plain_map


def test_a_note_reads_as_plain_values() -> None:
    doc: Doc[Any] = Doc()
    notes = doc.get("notes", type=Map)
    notes["n1"] = Map({"text": Text("idée"), "rect": [1, 2, 3, 4], "tags": Array(["a", "b"])})
    assert plain_map(notes) == {"n1": {"text": "idée", "rect": [1, 2, 3, 4], "tags": ["a", "b"]}}


def test_nesting_past_the_bound_reads_as_absent_without_recursing_on() -> None:
    doc: Doc[Any] = Doc()
    notes = doc.get("notes", type=Map)
    with doc.transaction():
        inner = notes["deep"] = Map()
        for _ in range(5000):  # far past Python's recursion limit
            child = Map()
            inner["child"] = child
            inner = child
    value = plain_map(notes)["deep"]
    levels = 0
    while isinstance(value, dict):
        value = value["child"]
        levels += 1
    assert value is None and levels == MAX_DEPTH - 1


def test_types_that_are_no_part_of_a_board_read_as_absent() -> None:
    doc: Doc[Any] = Doc()
    notes = doc.get("notes", type=Map)
    notes["odd"] = XmlFragment()
    assert plain_map(notes) == {"odd": None}
    assert plain_map(doc.get("empty", type=Map)) == {}
