"""Versions on their own: which ones the history keeps as they age, and the edits that make the
live documents equal to one of them."""

from __future__ import annotations

from typing import Any

from pycrdt import Doc, Map, Text

from server.boards.history import (
    NewVersion,
    VersionSummary,
    match_layout,
    match_notes,
    note_ids,
    notes_to_match,
    read_version,
    versions_to_drop,
)

MINUTE = 60_000.0


def summary(version_id: int, minute: float, size: int = 100) -> VersionSummary:
    return VersionSummary(version_id, minute * MINUTE, "auto", "", 1, size)


def test_the_history_keeps_the_newest_and_thins_out_the_versions_closest_together() -> None:
    # Every 5 minutes for an hour, plus one a minute after the first.
    versions = [summary(0, 0), summary(1, 1)] + [summary(i, 5 * i) for i in range(2, 14)]
    dropped = versions_to_drop(versions, max_versions=10, max_bytes=10**9, keep_newest=5)
    assert len(dropped) == 4
    assert dropped[0] == 1  # one minute after the one before: the first to go
    kept = [v for v in versions if v.id not in dropped]
    assert [v.id for v in kept[-5:]] == [9, 10, 11, 12, 13]  # the newest, untouched
    assert kept[0].id == 0  # the oldest stays while there is something else to thin


def test_the_bytes_are_bounded_too_and_the_newest_version_always_stays() -> None:
    versions = [summary(i, i, size=1000) for i in range(6)]
    dropped = versions_to_drop(versions, max_versions=50, max_bytes=3500, keep_newest=2)
    assert sorted(dropped) == [1, 2, 3]  # the oldest and the newest two stay
    # One version bigger than the whole budget still stays: it is the present's last copy.
    assert versions_to_drop([summary(9, 0, size=10**6)], 50, 10, 2) == []
    # With nothing left to thin, the oldest goes.
    assert versions_to_drop(versions, max_versions=2, max_bytes=10**9, keep_newest=10) == [
        0,
        1,
        2,
        3,
    ]


def a_board() -> tuple[Doc[Any], Doc[Any]]:
    layout: Doc[Any] = Doc()
    notes: Doc[Any] = Doc()
    with layout.transaction():
        meta = layout.get("meta", type=Map)
        meta.update({"title": "Avant", "locked": False, "anonymous": False})
        meta["voting"] = Map({"state": "off", "budget": 5})
        layout.get("zones", type=Map)["z1"] = Map({"title": "Idées", "rect": [0, 0, 100, 100]})
        layout.get("timer", type=Map).update({"label": "", "endsAt": None})
    with notes.transaction():
        root = notes.get("notes", type=Map)
        root["n1"] = Map({"text": Text("une idée éclairée 😀"), "rect": [1, 2, 3, 4], "z": 1})
        root["n2"] = Map({"text": Text("deux"), "rect": [5, 6, 7, 8], "color": "blue"})
    return layout, notes


def copy(doc: Doc[Any]) -> Doc[Any]:
    return read_version(doc.get_update())


def test_a_layout_becomes_the_versions_but_the_session_controls_stay() -> None:
    layout, _ = a_board()
    version = copy(layout)
    with layout.transaction():
        meta = layout.get("meta", type=Map)
        meta["title"] = "Après"
        meta["locked"] = True
        meta["voting"] = Map({"state": "open", "budget": 3})
        meta["newKey"] = "ajout"
        zones = layout.get("zones", type=Map)
        zones["z2"] = Map({"title": "Actions"})
        zones["z1"]["title"] = "Idées renommées"
        layout.get("timer", type=Map)["endsAt"] = 123.0
    with layout.transaction():
        match_layout(layout, version)
    meta = layout.get("meta", type=Map).to_py()
    assert meta["title"] == "Avant" and "newKey" not in meta
    assert meta["locked"] is True and meta["voting"]["state"] == "open"
    assert layout.get("zones", type=Map).to_py() == version.get("zones", type=Map).to_py()
    assert layout.get("timer", type=Map)["endsAt"] == 123.0


def test_notes_are_deleted_added_back_and_changed_back_with_their_ids() -> None:
    _, notes = a_board()
    version = copy(notes)
    with notes.transaction():
        root = notes.get("notes", type=Map)
        del root["n2"]
        root["n3"] = Map({"text": Text("nouvelle")})
        text = root["n1"]["text"]
        text.insert(len(text), " et plus")
        root["n1"]["rect"] = [9, 9, 9, 9]
    ids = sorted(note_ids(notes) | note_ids(version))
    differing = notes_to_match(notes, version, ids)
    assert differing == ["n1", "n2", "n3"]
    with notes.transaction():
        match_notes(notes, version, differing)
    assert notes.get("notes", type=Map).to_py() == version.get("notes", type=Map).to_py()
    assert notes_to_match(notes, version, ids) == []


def test_a_text_changed_back_keeps_what_is_common_to_both() -> None:
    _, notes = a_board()
    version = copy(notes)
    elsewhere = copy(notes)
    with notes.transaction():
        notes.get("notes", type=Map)["n1"]["text"].insert(0, "Déjà ")
    with elsewhere.transaction():  # someone types at the end meanwhile
        text = elsewhere.get("notes", type=Map)["n1"]["text"]
        text.insert(len(text), "!")
    before = notes.get_state()
    with notes.transaction():
        match_notes(notes, version, ["n1"])
    restore = notes.get_update(before)
    elsewhere.apply_update(notes.get_update())
    notes.apply_update(elsewhere.get_update())
    # The restore removed only the words it added: the other person's "!" is still there.
    assert str(notes.get("notes", type=Map)["n1"]["text"]) == "une idée éclairée 😀!"
    assert len(restore) < 100


def test_a_new_version_holds_both_documents_and_counts_the_notes() -> None:
    layout, notes = a_board()
    version = NewVersion.of(layout, notes, "auto", "Camille, " * 40, 1000.0)
    assert version.note_count == 2 and len(version.made_by) == 200
    assert version.size == len(version.layout) + len(version.notes)
    assert read_version(version.notes).get("notes", type=Map).to_py() == (
        notes.get("notes", type=Map).to_py()
    )
