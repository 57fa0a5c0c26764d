"""Telling what an update does to the notes before applying it (server/boards/note_changes.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pycrdt import Doc, Map, Text

from server.boards.note_changes import NoteChanges, NoteLimits, Writer, judge
from server.boards.note_tree import NoteTree, _Ranges
from server.boards.notes_view import DocNotes
from server.boards.update_items import read_items
from server.boards.update_meta import parse_update
from server.errors import ArdoiseError

ALICE, BOB = Writer("alice", False), Writer("bob", False)


class Board:
    """A server-side notes document with its tree, fed the way the room feeds it."""

    def __init__(self) -> None:
        self.doc: Doc[Any] = Doc()
        self.tree = NoteTree()

    def judge(self, update: bytes, writer: Writer | None) -> NoteChanges:
        def true_deletes() -> dict[int, list[tuple[int, int]]]:
            deletes = parse_update(self.doc.get_update(self.doc.get_state())).deletes
            return {c: [(s, s + n) for s, n in r] for c, r in deletes.items()}

        return judge(
            self.tree, read_items(update), DocNotes(self.doc), writer, NoteLimits(), true_deletes
        )

    def apply(self, update: bytes, writer: Writer | None) -> NoteChanges:
        changes = self.judge(update, writer)
        self.doc.apply_update(update)
        self.tree.record(changes.placed)
        return changes


def edit(doc: Doc[Any], change: Callable[[Map[Any]], None]) -> bytes:
    before = doc.get_state()
    with doc.transaction():
        change(doc.get("notes", type=Map))
    return doc.get_update(before)


def note(author: str, text: str = "idée") -> Map[Any]:
    return Map({"text": Text(text), "rect": [0, 0, 10, 10], "authorId": author})


def forbidden(board: Board, update: bytes, writer: Writer) -> str:
    with pytest.raises(ArdoiseError) as caught:
        board.judge(update, writer)
    return caught.value.code.value


def test_creation_changes_and_deletion_are_told_apart() -> None:
    board, alice = Board(), Doc()
    created = board.apply(edit(alice, lambda n: n.__setitem__("a1", note("alice"))), ALICE)
    assert created.created == {"a1"} and not created.changed and not created.deleted
    typed = board.apply(edit(alice, lambda n: n["a1"]["text"].insert(0, "une ")), ALICE)
    assert typed.changed == {"a1"} and not typed.created
    moved = board.apply(edit(alice, lambda n: n["a1"].__setitem__("rect", [5, 5, 10, 10])), ALICE)
    assert moved.changed == {"a1"}
    gone = board.apply(edit(alice, lambda n: n.pop("a1")), ALICE)
    assert gone.deleted == {"a1"} and not gone.changed


def test_others_notes_are_out_of_reach_even_through_neighbours() -> None:
    board, alice, bob = Board(), Doc(), Doc()
    board.apply(edit(alice, lambda n: n.__setitem__("a1", note("alice", "abc"))), ALICE)
    bob.apply_update(board.doc.get_update())
    # Typing in the middle of Alice's text: the item names only its neighbours, not its note.
    middle = edit(bob, lambda n: n["a1"]["text"].insert(1, "X"))
    assert read_items(middle).items[0].parent_id is None
    assert forbidden(board, middle, BOB) == "forbidden"
    assert board.judge(middle, Writer("bob", True)).changed == {"a1"}


def test_resent_deletes_are_no_change_and_integration_deletes_count_as_known() -> None:
    board, alice, facilitator, bob = Board(), Doc(), Doc(), Doc()
    board.apply(edit(alice, lambda n: n.__setitem__("a1", note("alice"))), ALICE)
    for doc in (facilitator, bob):
        doc.apply_update(board.doc.get_update())
    # Both move a1 at once: the loser is deleted by integration, in no update's delete set.
    by_alice = edit(alice, lambda n: n["a1"].__setitem__("rect", [1, 1, 10, 10]))
    by_facilitator = edit(facilitator, lambda n: n["a1"].__setitem__("rect", [2, 2, 10, 10]))
    board.apply(by_facilitator, Writer("anna", True))
    board.apply(by_alice, ALICE)
    bob.apply_update(board.doc.get_update(bob.get_state()))
    # Bob's handshake answer carries his whole delete set; nothing in it is his change.
    answer = bob.get_update(board.doc.get_state())
    changes = board.judge(answer, BOB)
    assert not changes.changed and not changes.deleted


def test_ranges_merge_and_tell_what_is_missing() -> None:
    ranges = _Ranges()
    for start, end in ((10, 20), (30, 40), (18, 32), (50, 60)):
        ranges.add(start, end)
    assert list(zip(ranges.starts, ranges.ends, strict=True)) == [(10, 40), (50, 60)]
    assert list(ranges.missing(0, 70)) == [(0, 10), (40, 50), (60, 70)]
    assert list(ranges.missing(12, 38)) == []


def test_a_tree_built_from_stored_updates_places_what_the_live_one_did() -> None:
    board, alice = Board(), Doc()
    updates = [
        edit(alice, lambda n: n.__setitem__("a1", note("alice"))),
        edit(alice, lambda n: n["a1"]["text"].insert(0, "x")),
    ]
    for update in updates:
        board.apply(update, ALICE)
    rebuilt = NoteTree.from_updates([board.doc.get_update()])
    later = edit(alice, lambda n: n["a1"]["text"].insert(1, "y"))
    board.tree = rebuilt
    assert board.judge(later, ALICE).changed == {"a1"}
    assert forbidden(board, later, BOB) == "forbidden"


def test_the_lock_s_grace_lets_a_writer_make_the_note_they_were_writing_in_a_form_once() -> None:
    # "Ajouter une idée": the note has no entry until it is sent; its id was in `editing`.
    board, alice = Board(), Doc()
    board.apply(edit(alice, lambda n: n.__setitem__("a1", note("alice"))), ALICE)
    in_grace = Writer("alice", False, text_only=frozenset({"draft"}))
    copies = [Doc() for _ in range(4)]
    for copy in copies:
        copy.apply_update(board.doc.get_update())
    as_bob, other_id, a_group, _ = copies
    # In someone else's name, under another id, or as a theme of that id: refused.
    as_bob_note = edit(as_bob, lambda n: n.__setitem__("draft", note("bob")))
    assert forbidden(board, as_bob_note, in_grace) == "forbidden"
    other = edit(other_id, lambda n: n.__setitem__("other", note("alice")))
    assert forbidden(board, other, in_grace) == "board_locked"
    before = a_group.get_state()
    a_group.get("groups", type=Map)["draft"] = Map({"title": "Thème", "createdBy": "alice"})
    assert forbidden(board, a_group.get_update(before), in_grace) == "board_locked"
    # Made once, in her name: accepted; then only its text, as any note being written.
    made = board.apply(edit(alice, lambda n: n.__setitem__("draft", note("alice"))), in_grace)
    assert made.created == {"draft"}
    typed = board.apply(edit(alice, lambda n: n["draft"]["text"].insert(0, "Une ")), in_grace)
    assert typed.changed == {"draft"}
    moved = edit(alice, lambda n: n["draft"].__setitem__("rect", [5, 5, 10, 10]))
    assert forbidden(board, moved, in_grace) == "board_locked"


def test_the_lock_s_grace_lets_a_writer_finish_their_text_and_nothing_else() -> None:
    board, alice = Board(), Doc()
    board.apply(edit(alice, lambda n: n.__setitem__("a1", note("alice", "une phr"))), ALICE)
    in_grace = Writer("alice", False, text_only=frozenset({"a1"}))
    typed = board.apply(edit(alice, lambda n: n["a1"]["text"].insert(7, "ase")), in_grace)
    assert typed.changed == {"a1"}
    # Each refused change from a copy of the board as it is: no later update builds on it.
    moving, grouping = Doc(), Doc()
    for copy in (moving, grouping):
        copy.apply_update(board.doc.get_update())
    moved = edit(moving, lambda n: n["a1"].__setitem__("rect", [5, 5, 10, 10]))
    assert forbidden(board, moved, in_grace) == "board_locked"
    # Nor a theme: made in the same document, under its own root.
    before = grouping.get_state()
    grouping.get("groups", type=Map)["g1"] = Map(
        {"title": "Pendant le verrou", "createdBy": "alice", "folded": False}
    )
    assert forbidden(board, grouping.get_update(before), in_grace) == "board_locked"


def test_the_lock_s_grace_takes_no_reaction_nor_comment_even_one_named_after_the_note() -> None:
    """A comment's `text` is not a note's text: a comment whose id is the note being written
    (so that its place looked like that note's text) is refused all the same."""
    board, alice = Board(), Doc()
    board.apply(edit(alice, lambda n: n.__setitem__("a1", note("alice", "une phr"))), ALICE)
    in_grace = Writer("alice", False, text_only=frozenset({"a1"}))
    for root, value in (
        ("comments", Map({"noteId": "a1", "authorId": "alice", "text": "pendant le verrou"})),
        ("reactions", True),
    ):
        copy: Doc[Any] = Doc()
        copy.apply_update(board.doc.get_update())
        before = copy.get_state()
        key = "a1" if root == "comments" else "a1/👍/alice"
        copy.get(root, type=Map)[key] = value
        assert forbidden(board, copy.get_update(before), in_grace) == "board_locked"
    # Nor a change to a comment's `text` (a comment named like the note, written before the lock):
    # what the grace allows is a note's text, not any `text`.
    named = Map({"noteId": "a1", "authorId": "alice", "text": "avant"})
    board.apply(_root_edit(alice, "comments", "a1", named), ALICE)
    retyped = _root_edit(alice, "comments", "a1", None, lambda c: c.__setitem__("text", "après"))
    assert forbidden(board, retyped, in_grace) == "board_locked"
    # Out of the grace, Alice may do both.
    reacting: Doc[Any] = Doc()
    reacting.apply_update(board.doc.get_update())
    before = reacting.get_state()
    reacting.get("reactions", type=Map)["a1/👍/alice"] = True
    assert board.judge(reacting.get_update(before), ALICE).changed == frozenset()


def _root_edit(
    doc: Doc[Any],
    root: str,
    key: str,
    value: Any,
    change: Callable[[Map[Any]], None] | None = None,
) -> bytes:
    """An update setting `root[key]` to `value`, or making `change` to the map there."""
    before = doc.get_state()
    with doc.transaction():
        target = doc.get(root, type=Map)
        if change is None:
            target[key] = value
        else:
            change(target[key])
    return doc.get_update(before)


def test_an_image_note_names_its_picture_by_an_image_id_and_nothing_else() -> None:
    board, alice = Board(), Doc()
    image_id = "Ab3_x-" + "k" * 16

    def with_image(value: Any) -> Callable[[Map[Any]], None]:
        def change(notes: Map[Any]) -> None:
            notes["a1"] = Map({**note("alice").to_py(), "text": Text(""), "imageId": value})

        return change

    for hostile in ("../../etc/passwd", "A" * 21, "", 22, None, Map({"id": image_id})):
        assert forbidden(board, edit(Doc(), with_image(hostile)), ALICE) == "invalid"
    created = board.apply(edit(alice, with_image(image_id)), ALICE)
    assert created.created == {"a1"}
    # Changed or taken away later like any key of one's own note; another's is out of reach.
    other = "Zz" * 11
    assert board.apply(edit(alice, lambda n: n["a1"].__setitem__("imageId", other)), ALICE)
    bob = Doc()
    bob.apply_update(board.doc.get_update())
    stolen = edit(bob, lambda n: n["a1"].__setitem__("imageId", image_id))
    assert forbidden(board, stolen, BOB) == "forbidden"
    bad = edit(alice, lambda n: n["a1"].__setitem__("imageId", "x"))
    assert forbidden(board, bad, ALICE) == "invalid"
    assert board.apply(edit(alice, lambda n: n["a1"].pop("imageId")), ALICE).changed == {"a1"}
