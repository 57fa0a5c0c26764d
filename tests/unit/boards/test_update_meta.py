"""Strict Yjs update decoding, checked against pycrdt, real Yjs output, hostile bytes and fuzz."""

from __future__ import annotations

import json
import random
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pycrdt
import pytest

from server.boards.update_meta import (
    MalformedUpdate,
    UpdateMeta,
    decode_state_vector,
    missing_dependency,
    parse_update,
)

FIXTURE = Path(__file__).parent / "fixtures" / "yjs_updates" / "yjs_updates.json"
YJS = json.loads(FIXTURE.read_text(encoding="utf-8"))
YJS_CASES: dict[str, list[dict[str, Any]]] = {c["name"]: c["updates"] for c in YJS["cases"]}
# XmlHook updates are refused (see test_xml_hooks_are_refused_because_yrs_misreads_them).
YJS_READABLE = {name: steps for name, steps in YJS_CASES.items() if name != "xml_hook"}


# --- building blocks -------------------------------------------------------------------------


def vu(n: int) -> bytes:
    """lib0 var-uint."""
    out = bytearray()
    while n >= 0x80:
        out.append(n & 0x7F | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def vs(text: str | bytes) -> bytes:
    raw = text.encode() if isinstance(text, str) else text
    return vu(len(raw)) + raw


def encode(sections: list[tuple[int, int, list[bytes]]], deletes: bytes = b"\x00") -> bytes:
    """A v1 update from (client, first clock, encoded structs) sections and a delete set."""
    out = vu(len(sections))
    for client, clock, structs in sections:
        out += vu(len(structs)) + vu(client) + vu(clock) + b"".join(structs)
    return out + deletes


def root_item(ref: int, content: bytes, key: str | None = "k", root: str = "m") -> bytes:
    """An Item without origins whose parent is the root type `root` (map key `key`)."""
    info = ref | (0x20 if key is not None else 0)
    return bytes([info]) + vu(1) + vs(root) + (vs(key) if key is not None else b"") + content


def item_after(ref: int, content: bytes, client: int, clock: int) -> bytes:
    """An Item whose origin (left neighbour at creation) is (client, clock)."""
    return bytes([ref | 0x80]) + vu(client) + vu(clock) + content


def delete_set(client: int, *ranges: tuple[int, int]) -> bytes:
    return vu(1) + vu(client) + vu(len(ranges)) + b"".join(vu(c) + vu(n) for c, n in ranges)


def recording(client_id: int) -> tuple[pycrdt.Doc[Any], list[bytes]]:
    """A pycrdt doc and the list its transactions' updates are appended to."""
    doc: pycrdt.Doc[Any] = pycrdt.Doc(client_id=client_id)
    updates: list[bytes] = []
    doc.observe(lambda event: updates.append(event.update))
    return doc, updates


def state(doc: pycrdt.Doc[Any]) -> dict[int, int]:
    return decode_state_vector(doc.get_state())


def covers(doc: pycrdt.Doc[Any], meta: UpdateMeta) -> bool:
    """Whether the doc integrated every struct of the update (pycrdt keeps the rest pending)."""
    have = state(doc)
    return all(have.get(client, 0) >= ranges[-1][1] for client, ranges in meta.structs.items())


def apply_checked(doc: pycrdt.Doc[Any], update: bytes) -> str | None:
    """Apply an update to a pycrdt doc, checking missing_dependency against what pycrdt did."""
    meta = parse_update(update)
    reason = missing_dependency(meta, state(doc))
    doc.apply_update(update)
    if reason is None:
        assert covers(doc, meta)
    elif not reason.startswith("a delete"):
        assert not covers(doc, meta), reason
    return reason


# --- against pycrdt --------------------------------------------------------------------------


def test_map_insert_carries_one_struct_and_refers_to_nothing() -> None:
    doc, updates = recording(12345)
    doc.get("m", type=pycrdt.Map)["title"] = "hello"
    meta = parse_update(updates[0])
    assert meta == UpdateMeta({12345: [(0, 1)]}, {}, {})
    assert state(doc) == {12345: 1}
    assert not meta.is_empty()


def test_nested_map_items_refer_to_their_parent_type() -> None:
    doc, updates = recording(7)
    board = doc.get("board", type=pycrdt.Map)
    board["note"] = pycrdt.Map({"x": 1.5, "text": "hi"})
    board["note"]["y"] = 2
    first, second = (parse_update(u) for u in updates)
    assert first.structs == {7: [(0, 3)]}
    assert first.references == {7: 1}  # the two entries live in the map item at clock 0
    assert second == UpdateMeta({7: [(3, 4)]}, {7: 1}, {})


def test_text_length_counts_utf16_code_units_so_emoji_count_two() -> None:
    doc, updates = recording(5)
    text = doc.get("t", type=pycrdt.Text)
    text += "a😀b"
    text += "é👍🏽"
    assert [parse_update(u).structs for u in updates] == [{5: [(0, 4)]}, {5: [(4, 9)]}]
    assert state(doc) == {5: 9}


def test_text_insert_in_the_middle_refers_to_both_neighbours() -> None:
    doc, updates = recording(5)
    text = doc.get("t", type=pycrdt.Text)
    text += "hello"
    text.insert(2, "XY")
    meta = parse_update(updates[1])
    assert meta.structs == {5: [(5, 7)]}
    assert meta.references == {5: 3}  # origin (5, 1) and right origin (5, 2)


def test_text_delete_is_a_delete_set_without_structs() -> None:
    doc, updates = recording(5)
    text = doc.get("t", type=pycrdt.Text)
    text += "hello"
    del text[1:3]
    assert parse_update(updates[1]) == UpdateMeta({}, {}, {5: [(1, 2)]})


def test_overwriting_a_map_key_deletes_the_previous_entry() -> None:
    doc, updates = recording(9)
    board = doc.get("m", type=pycrdt.Map)
    board["k"] = "a"
    board["k"] = "b"
    assert parse_update(updates[1]) == UpdateMeta({9: [(1, 2)]}, {9: 1}, {9: [(0, 1)]})
    assert parse_update(doc.get_update()).deletes == {9: [(0, 1)]}


def test_array_runs_take_one_clock_per_value() -> None:
    doc, updates = recording(3)
    array = doc.get("a", type=pycrdt.Array)
    array.extend([1, "two", None, [3], {"four": 4}])
    array.insert(2, True)
    assert parse_update(updates[0]).structs == {3: [(0, 5)]}
    assert parse_update(updates[1]) == UpdateMeta({3: [(5, 6)]}, {3: 3}, {})


def test_state_update_of_several_clients_lists_each_client() -> None:
    alice, _ = recording(1)
    bob, bob_updates = recording(2)
    alice.get("t", type=pycrdt.Text).insert(0, "hello")
    bob.apply_update(alice.get_update())
    bob_updates.clear()
    bob.get("t", type=pycrdt.Text).insert(5, " world")
    bob.get("m", type=pycrdt.Map)["k"] = "v"
    meta = parse_update(bob.get_update())
    assert meta.structs == {1: [(0, 5)], 2: [(0, 7)]}
    assert meta.references == {1: 5}
    assert parse_update(bob_updates[0]).references == {1: 5}


def test_state_update_of_a_document_with_deleted_content_holds_gc_structs() -> None:
    doc, _ = recording(9)
    board = doc.get("m", type=pycrdt.Map)
    board["inner"] = pycrdt.Map({"a": 1, "b": "x"})
    del board["inner"]
    update = doc.get_update()
    # The inner map's two entries became one GC struct (info 0, length 2), then the delete set.
    assert update.endswith(b"\x00\x02" + delete_set(9, (0, 3)))
    assert parse_update(update) == UpdateMeta({9: [(0, 3)]}, {}, {9: [(0, 3)]})


def test_diff_update_starts_at_the_remote_clock() -> None:
    doc, _ = recording(4)
    text = doc.get("t", type=pycrdt.Text)
    text += "hello"
    remote = doc.get_state()
    text.insert(2, "--")
    text += "!"
    meta = parse_update(doc.get_update(remote))
    assert meta.structs == {4: [(5, 8)]}
    assert missing_dependency(meta, decode_state_vector(remote)) is None
    assert missing_dependency(meta, {}) == "client 4 starts at clock 5 but the board has 0"


def test_skip_structs_are_gaps_that_pycrdt_keeps_pending() -> None:
    doc, updates = recording(7)
    text = doc.get("t", type=pycrdt.Text)
    for word in ("one ", "two ", "three"):
        text += word
    merged = pycrdt.merge_updates(updates[0], updates[2])
    meta = parse_update(merged)
    assert meta.structs == {7: [(0, 4), (8, 13)]}
    board: pycrdt.Doc[Any] = pycrdt.Doc()
    assert apply_checked(board, merged) == "client 7 starts at clock 8 but the board has 4"
    assert state(board) == {7: 4}
    assert missing_dependency(meta, {7: 8}) is None
    assert apply_checked(board, updates[1]) is None
    assert state(board) == {7: 13}


def test_update_before_its_predecessor_is_reported_and_kept_pending() -> None:
    doc, updates = recording(7)
    text = doc.get("t", type=pycrdt.Text)
    text += "one "
    text += "two "
    board: pycrdt.Doc[Any] = pycrdt.Doc()
    assert apply_checked(board, updates[1]) == "client 7 starts at clock 4 but the board has 0"
    assert state(board) == {}
    assert parse_update(board.get_update()).is_empty()  # the snapshot would lose "two "


def test_item_after_another_clients_unseen_item_is_reported_and_kept_pending() -> None:
    alice, _ = recording(1)
    bob, bob_updates = recording(2)
    alice.get("t", type=pycrdt.Text).insert(0, "hello")
    bob.apply_update(alice.get_update())
    bob_updates.clear()
    bob.get("t", type=pycrdt.Text).insert(5, "!")
    board: pycrdt.Doc[Any] = pycrdt.Doc()
    reason = apply_checked(board, bob_updates[0])
    assert reason == "an item refers to client 1 clock 4 but the board has 0"
    assert state(board) == {}
    assert apply_checked(board, alice.get_update()) is None
    assert state(board) == {1: 5, 2: 1}


def test_delete_of_unseen_content_is_reported_because_snapshots_drop_it() -> None:
    doc, updates = recording(1)
    text = doc.get("t", type=pycrdt.Text)
    text += "hello"
    del text[1:3]
    board: pycrdt.Doc[Any] = pycrdt.Doc()
    reason = apply_checked(board, updates[1])
    assert reason == "a delete reaches client 1 clock 2 but the board has 0"
    assert parse_update(board.get_update()).deletes == {}  # pending, so left out
    assert apply_checked(board, updates[0]) is None
    assert str(board.get("t", type=pycrdt.Text)) == "hlo"


def test_in_order_updates_need_nothing() -> None:
    alice, alice_updates = recording(1)
    bob, bob_updates = recording(2)
    alice_text = alice.get("t", type=pycrdt.Text)
    alice_text += "hi 😀 there"
    bob.apply_update(alice.get_update())
    bob_text = bob.get("t", type=pycrdt.Text)
    bob_text.insert(3, "you ")
    del bob_text[0:2]
    bob.get("m", type=pycrdt.Map)["n"] = pycrdt.Map({"x": [1, 2]})
    bob.get("m", type=pycrdt.Map)["n"]["y"] = "z"
    bob.get("m", type=pycrdt.Map)["n"] = 1
    board: pycrdt.Doc[Any] = pycrdt.Doc()
    for update in alice_updates + bob_updates:
        assert apply_checked(board, update) is None
    assert board.get_state() == bob.get_state()


def test_empty_document_update_is_empty() -> None:
    meta = parse_update(pycrdt.Doc().get_update())
    assert meta == UpdateMeta({}, {}, {})
    assert meta.is_empty()
    assert missing_dependency(meta, {}) is None


def test_state_vector_decodes_pycrdt_state() -> None:
    doc, _ = recording(2**53 - 1)
    doc.get("t", type=pycrdt.Text).insert(0, "abc")
    other: pycrdt.Doc[Any] = pycrdt.Doc(client_id=300)
    other.apply_update(doc.get_update())
    other.get("t", type=pycrdt.Text).insert(0, "de")
    assert decode_state_vector(other.get_state()) == {2**53 - 1: 3, 300: 2}
    assert decode_state_vector(b"\x00") == {}


@pytest.mark.parametrize(
    "raw",
    [b"", b"\x01", b"\x01\x05", b"\x00\x00", b"\x02\x01\x01\x01\x01", b"\x01\x80", b"\x01\x01\x80"],
    ids=["empty", "no-entry", "no-clock", "trailing", "duplicate-client", "cut-var-uint", "cut-2"],
)
def test_malformed_state_vectors_are_refused(raw: bytes) -> None:
    with pytest.raises(MalformedUpdate):
        decode_state_vector(raw)


def test_legacy_json_content_is_refused_because_yrs_reads_one_string_more() -> None:
    # ContentJSON (ref 2) is legacy: current Yjs cannot write it but reads `count` strings;
    # pycrdt's yrs reads count + 1, so the same bytes mean different things to each.
    content = vu(2) + vs('{"a": [1, 2]}') + vs("undefined")
    update = encode([(11, 0, [root_item(2, content, key=None, root="list")])])
    with pytest.raises(MalformedUpdate, match="legacy JSON"):
        parse_update(update)
    with pytest.raises(ValueError, match="unexpected end"):
        pycrdt.Doc().apply_update(update)
    # With one more byte, pycrdt takes the delete set's count for a second (empty) string and
    # integrates two clocks where Yjs would read one.
    one = encode([(11, 0, [root_item(2, vu(1) + vs("1"), key=None, root="list")])], b"\x00\x00")
    board: pycrdt.Doc[Any] = pycrdt.Doc()
    board.apply_update(one)
    assert state(board) == {11: 2}


# --- against real Yjs ------------------------------------------------------------------------


def yjs_steps(cases: dict[str, list[dict[str, Any]]]) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, steps in cases.items():
        for index, step in enumerate(steps):
            yield f"{name}[{index}]", step


def test_fixture_records_the_yjs_version_that_wrote_it() -> None:
    assert YJS["yjs_version"].startswith("13.")
    assert FIXTURE.stat().st_size < 100_000


def test_yjs_fixture_covers_every_content_type() -> None:
    seen = {kind for steps in YJS_CASES.values() for step in steps for kind in step["covers"]}
    contents = {"Deleted", "Binary", "String", "Embed", "Format", "Type", "Any", "Doc", "GC"}
    types = {"Array", "Map", "Text", "XmlElement", "XmlFragment", "XmlHook", "XmlText"}
    anys = {"undefined", "null", "varint", "float32", "float64", "bigint", "false", "true"}
    anys |= {"string", "object", "array", "uint8array"}
    wanted = contents | {"Skip", "DeleteSet", "surrogate-pair"}
    wanted |= {f"type:{t}" for t in types} | {f"any:{a}" for a in anys}
    assert wanted <= seen


@pytest.mark.parametrize(("name", "step"), list(yjs_steps(YJS_READABLE)))
def test_meta_matches_what_yjs_decodes(name: str, step: dict[str, Any]) -> None:
    meta = parse_update(bytes.fromhex(step["hex"]))
    assert meta.structs == {c: [tuple(r) for r in ranges] for c, ranges in step["structs"]}
    assert meta.references == dict(step["references"])
    assert meta.deletes == {c: [tuple(r) for r in ranges] for c, ranges in step["deletes"]}


@pytest.mark.parametrize("name", list(YJS_READABLE))
def test_missing_dependency_agrees_with_yjs_and_pycrdt(name: str) -> None:
    board: pycrdt.Doc[Any] = pycrdt.Doc()
    pending_before = False
    for step in YJS_READABLE[name]:
        update = bytes.fromhex(step["hex"])
        reason = missing_dependency(parse_update(update), dict(step["state_before"]))
        if not pending_before:  # Yjs retries earlier pending structs, which blurs the flag
            assert (reason is not None) == step["pending_after"], reason
            assert state(board) == dict(step["state_before"])
        apply_checked(board, update)
        pending_before = step["pending_after"]


def test_xml_hooks_are_refused_because_yrs_misreads_them() -> None:
    # Yjs writes a hook name after type ref 5; pycrdt's yrs reads none and takes the name's bytes
    # for the next struct, so the two would disagree on what the update holds.
    update = bytes.fromhex(YJS_CASES["xml_hook"][0]["hex"])
    with pytest.raises(MalformedUpdate, match="type ref 5"):
        parse_update(update)
    with pytest.raises(ValueError, match="Cannot decode update"):
        pycrdt.Doc().apply_update(update)


# --- malformed and hostile bytes -------------------------------------------------------------

TEXT = "t"
GOOD = encode([(1, 0, [root_item(4, vs("hi"), key=None, root=TEXT)])])
DEEP_ARRAYS = bytes([117, 1]) * 100_000 + bytes([126])

MALFORMED: dict[str, tuple[bytes, str]] = {
    "empty": (b"", "truncated"),
    "trailing byte": (GOOD + b"\x00", "does not match"),
    "no delete set": (GOOD[:-1], "truncated"),
    "unknown content ref 11": (encode([(1, 0, [root_item(11, b"\x00")])]), "content ref 11"),
    "unknown content ref 31": (encode([(1, 0, [root_item(31, b"\x00")])]), "content ref 31"),
    "unknown any type": (encode([(1, 0, [root_item(8, vu(1) + b"\x73")])]), "any type 115"),
    "invalid UTF-8 string": (
        encode([(1, 0, [root_item(4, vs(b"\xff\xfe"), None, TEXT)])]),
        "UTF-8",
    ),
    "UTF-8 surrogate": (encode([(1, 0, [root_item(4, vs(b"\xed\xa0\x80"), None, TEXT)])]), "UTF-8"),
    "invalid UTF-8 key": (
        encode([(1, 0, [b"\x28" + vu(1) + vs("m") + vs(b"\xc3") + b"\x01\x7e"])]),
        "UTF-8",
    ),
    "invalid UTF-8 root name": (
        encode([(1, 0, [bytes([4]) + vu(1) + vs(b"\x80") + vs("x")])]),
        "UTF-8",
    ),
    "truncated UTF-8": (
        encode([(1, 0, [root_item(4, vs("😀".encode()[:3]), None, TEXT)])]),
        "UTF-8",
    ),
    "var-uint of 12 bytes": (b"\x80" * 11 + b"\x00" + b"\x00", "longer than 8 bytes"),
    "var-uint above 2**53": (vu(2**53) + b"\x00", "above 2"),
    "var-int above 2**53": (
        encode([(1, 0, [root_item(8, vu(1) + b"\x7d" + b"\xff" * 7 + b"\x7f")])]),
        "beyond 2",
    ),
    "empty string item": (encode([(1, 0, [root_item(4, vs(""), None, TEXT)])]), "empty struct"),
    "empty any item": (encode([(1, 0, [root_item(8, vu(0))])]), "empty struct"),
    "empty deleted item": (encode([(1, 0, [root_item(1, vu(0))])]), "empty struct"),
    "empty GC": (encode([(1, 0, [b"\x00\x00"])]), "empty struct"),
    "client listed twice": (encode([(1, 0, [b"\x00\x01"]), (1, 1, [b"\x00\x01"])]), "listed twice"),
    "GC with flags": (encode([(1, 0, [b"\x80" + vu(2) + vu(0) + vu(1)])]), "with flags"),
    "Skip with flags": (
        encode([(1, 0, [b"\x2a" + vu(1) + vs("m") + vs("k") + vu(1)])]),
        "with flags",
    ),
    "parent info 2": (encode([(1, 0, [bytes([4]) + vu(2) + vs("x")])]), "parent info 2"),
    "type ref 7": (encode([(1, 0, [root_item(7, vu(7))])]), "type ref 7"),
    "type ref 15": (encode([(1, 0, [root_item(7, vu(15))])]), "type ref 15"),
    "XmlHook": (encode([(1, 0, [root_item(7, vu(5) + vs("hook"))])]), "type ref 5"),
    "embed not JSON": (encode([(1, 0, [root_item(5, vs("{bad"), None, TEXT)])]), "JSON"),
    "embed NaN": (encode([(1, 0, [root_item(5, vs("NaN"), None, TEXT)])]), "JSON"),
    "embed number out of range": (
        encode([(1, 0, [root_item(5, vs("1e400"), None, TEXT)])]),
        "JSON",
    ),
    "embed lone surrogate": (encode([(1, 0, [root_item(5, vs('"\\ud800"'), None, TEXT)])]), "JSON"),
    "embed undefined": (encode([(1, 0, [root_item(5, vs("undefined"), None, TEXT)])]), "JSON"),
    "format value not JSON": (
        encode([(1, 0, [root_item(6, vs("bold") + vs("tru"), None, TEXT)])]),
        "JSON",
    ),
    "deeply nested JSON": (encode([(1, 0, [root_item(5, vs("[" * 100_000), None, TEXT)])]), "JSON"),
    "origin is the item itself": (
        encode([(1, 0, [item_after(4, vs("a"), 1, 0)])]),
        "impossible clock 0",
    ),
    "origin later in its own client": (
        encode([(1, 0, [item_after(4, vs("a"), 1, 5)])]),
        "impossible clock 5",
    ),
    "parent is the item itself": (
        encode([(1, 0, [bytes([4]) + vu(0) + vu(1) + vu(0) + vs("a")])]),
        "impossible clock 0",
    ),
    "clock beyond 2**31 - 1": (
        encode([(1, 2**31 - 1, [root_item(4, vs("a"), None, TEXT)])]),
        "clock beyond",
    ),
    "origin clock beyond 2**31 - 1": (
        encode([(2, 0, [item_after(4, vs("a"), 1, 2**32 + 1)])]),
        "impossible clock",
    ),
    "zero-length delete": (b"\x00" + delete_set(1, (0, 0)), "delete range"),
    "delete beyond 2**31 - 1": (b"\x00" + delete_set(1, (2**31 - 2, 5)), "delete range"),
    "binary past the end": (encode([(1, 0, [root_item(3, vu(50) + b"ab")])]), "truncated"),
    "float past the end": (encode([(1, 0, [root_item(8, vu(1) + b"\x7b\x00")])])[:-1], "truncated"),
    "huge client count": (vu(2**53 - 1) + vu(1) + vu(1) + vu(0) + b"\x00\x01", "truncated"),
    "huge struct count": (vu(1) + vu(2**53 - 1) + vu(1) + vu(0) + b"\x00\x01" * 50, "truncated"),
    "huge any array": (
        encode([(1, 0, [root_item(8, vu(1) + b"\x75" + vu(2**50) + b"\x7e" * 9)])]),
        "any type 0",
    ),
    "huge delete count": (b"\x00" + vu(1) + vu(1) + vu(2**53 - 1) + b"\x00\x01" * 50, "truncated"),
    "huge string length": (
        encode([(1, 0, [root_item(4, vu(2**53 - 1) + b"abc", None, TEXT)])]),
        "past the end",
    ),
    "deeply nested any": (
        encode([(1, 0, [root_item(8, vu(1) + DEEP_ARRAYS)])]),
        "nested too deeply",
    ),
    "deeply nested objects": (
        encode([(1, 0, [root_item(8, vu(1) + b"\x76\x01\x00" * 1000)])]),
        "nested too deeply",
    ),
}


@pytest.mark.parametrize(("raw", "reason"), list(MALFORMED.values()), ids=list(MALFORMED))
def test_malformed_updates_are_refused_quickly(raw: bytes, reason: str) -> None:
    started = time.perf_counter()
    with pytest.raises(MalformedUpdate, match=re.escape(reason)):
        parse_update(raw)
    assert time.perf_counter() - started < 1.0


def test_every_truncation_of_a_valid_update_is_refused() -> None:
    update = bytes.fromhex(YJS_CASES["any_values_state"][0]["hex"])
    parse_update(update)
    for end in range(len(update)):
        with pytest.raises(MalformedUpdate):
            parse_update(update[:end])


def test_nesting_up_to_the_depth_limit_is_accepted() -> None:
    value = bytes([117, 1]) * 64 + b"\x7e"
    assert parse_update(encode([(1, 0, [root_item(8, vu(1) + value)])])).structs == {1: [(0, 1)]}
    with pytest.raises(MalformedUpdate, match="nested"):
        parse_update(encode([(1, 0, [root_item(8, vu(1) + bytes([117, 1]) + value)])]))


def test_bytearray_and_memoryview_are_read_like_bytes() -> None:
    expected = parse_update(GOOD)
    assert parse_update(bytearray(GOOD)) == expected  # type: ignore[arg-type]
    assert parse_update(memoryview(GOOD)) == expected  # type: ignore[arg-type]


def test_malformed_update_is_a_value_error() -> None:
    assert issubclass(MalformedUpdate, ValueError)


# --- fuzz ------------------------------------------------------------------------------------


def fuzz_seeds() -> list[bytes]:
    seeds = [bytes.fromhex(step["hex"]) for _, step in yjs_steps(YJS_CASES)]
    doc, updates = recording(2**40 + 3)
    text = doc.get("t", type=pycrdt.Text)
    text += "héllo 😀"
    text.insert(2, "xy")
    del text[0:3]
    doc.get("m", type=pycrdt.Map)["n"] = pycrdt.Map({"a": [1, {"b": None}], "c": b"\x00"})
    return [*seeds, *updates, doc.get_update()]


def mutate(rng: random.Random, update: bytes) -> bytes:
    data = bytearray(update)
    choice = rng.randrange(6)
    position = rng.randrange(len(data) + 1)
    if choice == 0 and data:  # flip bits
        for _ in range(rng.randint(1, 3)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    elif choice == 1:  # truncate
        del data[position:]
    elif choice == 2:  # insert random bytes
        data[position:position] = rng.randbytes(rng.randint(1, 4))
    elif choice == 3 and data:  # splice in a copy of another part
        start = rng.randrange(len(data))
        data[position : position + rng.randint(0, 4)] = data[start : start + rng.randint(1, 8)]
    elif choice == 4 and data:  # set an interesting byte
        data[rng.randrange(len(data))] = rng.choice([0, 1, 10, 0x20, 0x28, 0x7F, 0x80, 0xFF])
    else:  # random bytes
        return rng.randbytes(rng.randint(0, 40))
    return bytes(data)


def fuzz(count: int, seed: int, check: Callable[[bytes, UpdateMeta], None]) -> int:
    rng = random.Random(seed)
    seeds = fuzz_seeds()
    accepted = 0
    for _ in range(count):
        update = mutate(rng, rng.choice(seeds))
        try:
            meta = parse_update(update)
        except MalformedUpdate:
            continue
        accepted += 1
        check(update, meta)
    return accepted


def test_fuzzed_updates_either_parse_or_raise_malformed_update() -> None:
    def check(update: bytes, meta: UpdateMeta) -> None:
        assert isinstance(meta, UpdateMeta)
        missing_dependency(meta, {})

    accepted = fuzz(20_000, seed=20240611, check=check)
    assert 1_000 < accepted < 19_000  # both outcomes are exercised


def test_fuzzed_updates_we_accept_are_integrated_by_pycrdt_as_predicted() -> None:
    def check(update: bytes, meta: UpdateMeta) -> None:
        board: pycrdt.Doc[Any] = pycrdt.Doc()
        try:
            board.apply_update(update)
        except RuntimeError as exc:  # well-formed but meaningless, e.g. a parent that is text
            assert "Cannot apply update" in str(exc)
            return
        reason = missing_dependency(meta, {})
        if reason is None:
            assert covers(board, meta)
        elif not reason.startswith("a delete"):
            assert not covers(board, meta), reason

    assert fuzz(3_000, seed=7, check=check) > 100
