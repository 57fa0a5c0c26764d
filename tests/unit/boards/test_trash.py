"""Deleted notes on their own: what the trash keeps of a note, who may see it, and a note written
back."""

from __future__ import annotations

from typing import Any

from pycrdt import Doc, Map, Text

from server.boards.board_snapshot import read_zones
from server.boards.trash import (
    MAX_OTHER_KEYS_JSON,
    MAX_TEXT_CHARS,
    Deleter,
    capture,
    capture_from_state,
    kept_values,
    may_see,
    write_back,
)
from server.protocol import Role


def board() -> tuple[Doc[Any], Doc[Any]]:
    layout: Doc[Any] = Doc()
    layout.get("zones", type=Map)["z1"] = Map({"title": "Idées", "rect": [0, 0, 500, 500]})
    notes: Doc[Any] = Doc()
    with notes.transaction():
        root = notes.get("notes", type=Map)
        for i in range(3):
            root[f"n{i}"] = Map(
                {
                    "text": Text(f"idée {i}"),
                    "rect": [10.0 + 600 * i, 10.0, 160.0, 100.0],
                    "color": "yellow",
                    "author": "Alice",
                    "authorId": "alice-id",
                    "createdAt": 1795341600000.0,
                    "z": float(i),
                }
            )
    return layout, notes


def test_a_captured_note_keeps_its_values_its_zone_and_who_deleted_it() -> None:
    layout, notes = board()
    by = Deleter("bob-id", "Bob", "participant")
    first, second = capture(notes, read_zones(layout), ["n0", "n1"], by, 1234.0)
    assert first.note_id == "n0" and first.deleted_by == by and first.deleted_at_ms == 1234.0
    assert first.note == {
        "text": "idée 0",
        "rect": [10.0, 10.0, 160.0, 100.0],
        "color": "yellow",
        "author": "Alice",
        "authorId": "alice-id",
        "createdAt": 1795341600000.0,
        "z": 0.0,
        "zone": "z1",
    }
    assert second.note["zone"] is None  # outside every zone
    assert first.author_id == "alice-id"


def test_what_the_trash_keeps_is_bounded() -> None:
    kept = kept_values(
        {
            "text": "x" * (MAX_TEXT_CHARS + 10),
            "rect": [0, 0, "wide", 1],
            "color": 3,
            "z": float("inf"),
            "mood": "content",
            "huge": "y" * MAX_OTHER_KEYS_JSON,
            "nested": {"a": [1, 2, {"b": None}]},
        }
    )
    assert len(kept["text"]) == MAX_TEXT_CHARS
    assert "rect" not in kept and "color" not in kept and "z" not in kept
    assert kept["mood"] == "content" and kept["nested"] == {"a": [1, 2, {"b": None}]}
    assert "huge" not in kept


def test_only_the_facilitator_and_the_author_see_a_deleted_note() -> None:
    assert may_see(Role.FACILITATOR, None, "alice-id")
    assert may_see(Role.PARTICIPANT, "alice-id", "alice-id")
    assert not may_see(Role.PARTICIPANT, "bob-id", "alice-id")
    assert not may_see(Role.PARTICIPANT, "", "")  # a note without author is the facilitator's
    assert not may_see(Role.PARTICIPANT, None, "alice-id")
    assert not may_see(Role.OBSERVER, "alice-id", "alice-id")


def test_a_note_written_back_is_the_note_it_was() -> None:
    layout, notes = board()
    [deleted] = capture(notes, read_zones(layout), ["n2"], Deleter.server(), 0.0)
    original = notes.get("notes", type=Map)["n2"].to_py()
    with notes.transaction():
        del notes.get("notes", type=Map)["n2"]
    with notes.transaction():
        write_back(notes, "n2", deleted.note)
    back = notes.get("notes", type=Map)["n2"]
    assert isinstance(back["text"], Text)
    assert back.to_py() == original  # no derived zone written into the note


def test_notes_read_from_a_copy_of_the_state_are_the_same() -> None:
    layout, notes = board()
    zones = read_zones(layout)
    by = Deleter("f", "Fanny", "facilitator")
    direct = capture(notes, zones, ["n0", "n1", "n2"], by, 5.0)
    assert capture_from_state(notes.get_update(), zones, ["n0", "n1", "n2"], by, 5.0) == direct
