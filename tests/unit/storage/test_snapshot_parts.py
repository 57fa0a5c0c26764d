"""A big document is compacted into bounded parts (merged slices of its log), a small one into one
snapshot; loading applies one piece at a time and lets the event loop run between them
(server/boards/doc_state.py), on a real SQLite database."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from pycrdt import Doc, Map

from server.boards.doc_state import PART_BYTES, WHOLE_SNAPSHOT_MAX_BYTES, build_doc
from server.boards.records import PendingUpdate
from server.boards.room import BoardRoom, Member
from server.protocol import DocName, Role
from server.settings import Limits
from server.storage.board_store import BoardStore
from server.storage.writer import UpdateWriter
from tests.unit.boards.test_room import RecordingOutbox
from tests.unit.storage.test_writer import make_store, one_note

MEMBER = Member("s", Role.PARTICIPANT, "p", "P")


def big_note(i: int) -> bytes:
    """A note of about 3 KB by participant "p"."""
    doc: Doc[Any] = Doc()
    doc.get("notes", type=Map)[f"n{i}"] = Map({"text": f"{i} " + "é" * 1500, "authorId": "p"})
    return doc.get_update()


def notes_of(pieces: list[bytes]) -> dict[str, Any]:
    doc: Doc[Any] = Doc()
    for piece in pieces:
        doc.apply_update(piece)
    return dict(doc.get("notes", type=Map).to_py() or {})


async def write_notes(store: BoardStore, updates: list[bytes], compact_after: int) -> BoardRoom:
    writer = UpdateWriter(store, compact_after_updates=compact_after)
    writer.start()
    empty = await store.load_doc("b1", DocName.NOTES)
    room = BoardRoom("b1", {n: empty for n in DocName}, RecordingOutbox(), writer, Limits())
    for update in updates:
        stored = room.apply(DocName.NOTES, update, MEMBER)
        assert stored is not None
        await stored
    await writer.close()
    return room


async def test_a_big_document_is_compacted_into_bounded_parts_and_nothing_is_lost(
    tmp_path: Path,
) -> None:
    engine, store = await make_store(tmp_path)
    updates = [big_note(i) for i in range(400)]  # about 1.2 MB in all
    room = await write_notes(store, updates, compact_after=40)
    stored = await store.load_doc("b1", DocName.NOTES)
    # Compacted into one snapshot while small, then into parts.
    assert stored.snapshot is not None and len(stored.snapshot) <= WHOLE_SNAPSHOT_MAX_BYTES
    assert len(stored.parts) >= 3, [len(p) for p in stored.parts]
    assert all(len(part) <= PART_BYTES for part in stored.parts)
    assert len(stored.updates) < 40
    notes = notes_of(stored.pieces)
    assert len(notes) == 400 and notes["n399"]["text"].startswith("399 é")
    # The room's count of what the board weighs follows what was stored.
    assert room.stored_bytes == stored.size
    await store.close()
    await engine.dispose()


async def test_a_small_document_is_still_one_snapshot(tmp_path: Path) -> None:
    engine, store = await make_store(tmp_path)
    await write_notes(store, [one_note(i) for i in range(100)], compact_after=40)
    stored = await store.load_doc("b1", DocName.NOTES)
    assert stored.snapshot is not None and not stored.parts
    assert len(notes_of(stored.pieces)) == 100
    await store.close()
    await engine.dispose()


async def test_a_whole_snapshot_replaces_the_parts_unless_it_merges(tmp_path: Path) -> None:
    engine, store = await make_store(tmp_path)
    ids = await store.commit([pending(one_note(i)) for i in range(3)])
    assert await store.compact_rows("b1", "notes", ids[:2]) > 0
    stored = await store.load_doc("b1", "notes")
    assert len(stored.parts) == 1 and stored.ids == ids[2:]
    assert set(notes_of(stored.pieces)) == {"n0", "n1", "n2"}
    # Another process's snapshot is merged in: the parts, which it may not hold, stay.
    await store.compact("b1", "notes", one_note(3), [], merge=True)
    assert len((await store.load_doc("b1", "notes")).parts) == 1
    # One process's whole document replaces everything stored before it.
    everything = whole(*(one_note(i) for i in range(4)))
    await store.compact("b1", "notes", everything, ids[2:], merge=False)
    stored = await store.load_doc("b1", "notes")
    assert not stored.parts and not stored.updates
    assert set(notes_of(stored.pieces)) == {"n0", "n1", "n2", "n3"}
    await store.close()
    await engine.dispose()


async def test_rows_of_a_deleted_board_merge_into_nothing(tmp_path: Path) -> None:
    engine, store = await make_store(tmp_path)
    ids = await store.commit([pending(one_note(i)) for i in range(2)])
    assert await store.compact_rows("b1", "notes", [*ids, 10_000]) == 0
    assert (await store.load_doc("b1", "notes")).ids == ids
    await store.close()
    await engine.dispose()


async def test_a_private_document_held_only_in_parts_is_loaded(tmp_path: Path) -> None:
    engine, store = await make_store(tmp_path)
    ids = await store.commit([pending(one_note(0), "private:alice")])
    assert await store.compact_rows("b1", "private:alice", ids) > 0
    private = await store.load_private_docs("b1")
    assert set(private) == {"alice"}
    assert set(notes_of(private["alice"].pieces)) == {"n0"}
    await store.close()
    await engine.dispose()


async def test_building_a_document_lets_the_event_loop_run_between_pieces() -> None:
    pieces = [big_note(i) for i in range(30)]
    turns = 0
    building = True

    async def ticker() -> None:
        nonlocal turns
        while building:
            turns += 1
            await asyncio.sleep(0)

    ticking = asyncio.create_task(ticker())
    await asyncio.sleep(0)
    doc = await build_doc("b1", "notes", pieces, slice_s=0.0)
    building = False
    await ticking
    assert len(doc.get("notes", type=Map)) == 30
    # A turn of the loop between every two pieces.
    assert turns >= len(pieces) - 1, turns


def whole(*updates: bytes) -> bytes:
    """The document these updates make, as one snapshot."""
    doc: Doc[Any] = Doc()
    for update in updates:
        doc.apply_update(update)
    return doc.get_update()


def pending(update: bytes, doc_key: str = "notes") -> PendingUpdate:
    return PendingUpdate("b1", doc_key, update)
