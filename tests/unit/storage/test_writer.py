"""UpdateWriter on a real SQLite database: grouped commits, acks after commit, nothing lost."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path
from typing import Any

from pycrdt import Doc, Map

from server.boards.records import BoardRecord, utc_now
from server.boards.room import BoardRoom, Member
from server.protocol import DocName, Role
from server.settings import Limits
from server.storage.board_store import BoardStore
from server.storage.engine import create_engine
from server.storage.schema import migrate
from server.storage.writer import BoardGone, UpdateWriter
from tests.unit.boards.test_room import RecordingOutbox


async def make_store(tmp_path: Path, loop_commit_share: float = 0.0) -> tuple[Any, BoardStore]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'w.sqlite3'}")
    await migrate(engine)
    store = BoardStore(engine, loop_commit_share)
    await store.create_board(
        BoardRecord("b1", "T", "blank", "fr", "ABCDEF", True, "0" * 64, "p", "o", utc_now())
    )
    return engine, store


def one_note(i: int) -> bytes:
    """A note by participant "p", the member writing in these tests."""
    doc: Doc[Any] = Doc()
    doc.get("notes", type=Map)[f"n{i}"] = Map({"text": f"note {i}", "authorId": "p"})
    return doc.get_update()


async def test_concurrent_writers_share_commits_and_acks_wait_for_them(tmp_path: Path) -> None:
    engine, store = await make_store(tmp_path)
    writer = UpdateWriter(store, compact_after_updates=10_000)
    writer.start()
    empty = await store.load_doc("b1", DocName.NOTES)
    room = BoardRoom("b1", {n: empty for n in DocName}, RecordingOutbox(), writer, Limits())
    member = Member("s", Role.PARTICIPANT, "p", "P")

    acked: list[int] = []

    async def write(i: int) -> None:
        stored = room.apply(DocName.NOTES, one_note(i), member)
        assert stored is not None
        await stored
        # An ack is only given once the update can be read back from the database.
        acked.append(i)

    await asyncio.gather(*(write(i) for i in range(300)))
    assert sorted(acked) == list(range(300))
    assert writer.stored_updates == 300
    assert writer.commits <= 10, writer.commits  # 300 writers, a handful of commits
    stored = await store.load_doc("b1", DocName.NOTES)
    assert len(stored.updates) == 300
    await writer.close()
    await engine.dispose()


async def test_compaction_keeps_in_flight_updates_in_the_log(tmp_path: Path) -> None:
    engine, store = await make_store(tmp_path)
    writer = UpdateWriter(store, compact_after_updates=50)
    writer.start()
    empty = await store.load_doc("b1", DocName.NOTES)
    room = BoardRoom("b1", {n: empty for n in DocName}, RecordingOutbox(), writer, Limits())
    member = Member("s", Role.PARTICIPANT, "p", "P")
    for batch in range(4):
        futures = [room.apply(DocName.NOTES, one_note(batch * 40 + i), member) for i in range(40)]
        await asyncio.gather(*(f for f in futures if f is not None))
    await writer.close()
    assert writer.compactions >= 1
    stored = await store.load_doc("b1", DocName.NOTES)
    assert stored.snapshot is not None and len(stored.updates) < 160
    doc: Doc[Any] = Doc()
    for data in [stored.snapshot, *stored.updates]:
        doc.apply_update(data)
    assert len(doc.get("notes", type=Map).to_py()) == 160
    await engine.dispose()


async def test_an_update_of_a_vanished_board_fails_alone_and_the_rest_is_stored(
    tmp_path: Path,
) -> None:
    # The group commit's insert goes through the SQLite driver's own cursor; its foreign-key
    # error must still reach the writer as SQLAlchemy's IntegrityError, or the writer task dies
    # and every later acknowledgement waits forever.
    engine, store = await make_store(tmp_path)
    writer = UpdateWriter(store, compact_after_updates=10_000)
    writer.start()
    empty = await store.load_doc("b1", DocName.NOTES)
    docs = {n: empty for n in DocName}
    room = BoardRoom("b1", docs, RecordingOutbox(), writer, Limits())
    ghost = BoardRoom("no-such-board", docs, RecordingOutbox(), writer, Limits())
    member = Member("s", Role.PARTICIPANT, "p", "P")

    kept = [room.apply(DocName.NOTES, one_note(i), member) for i in range(3)]
    lost = ghost.apply(DocName.NOTES, one_note(99), member)
    kept.append(room.apply(DocName.NOTES, one_note(3), member))
    assert lost is not None and all(f is not None for f in kept)
    await asyncio.wait_for(asyncio.gather(*(f for f in kept if f is not None)), 10)
    try:
        await asyncio.wait_for(lost, 10)
    except BoardGone:
        pass
    else:
        raise AssertionError("an update of a board that does not exist was acknowledged")
    stored = await store.load_doc("b1", DocName.NOTES)
    assert len(stored.updates) == 4
    assert stored.ids == sorted(stored.ids)
    later = room.apply(DocName.NOTES, one_note(4), member)
    assert later is not None
    await asyncio.wait_for(later, 10)  # the writer still works
    await writer.close()
    await engine.dispose()


async def test_a_lone_update_is_committed_before_persist_returns(tmp_path: Path) -> None:
    engine, store = await make_store(tmp_path, loop_commit_share=1.0)
    writer = UpdateWriter(store, compact_after_updates=10_000)
    writer.start()
    empty = await store.load_doc("b1", DocName.NOTES)
    room = BoardRoom("b1", {n: empty for n in DocName}, RecordingOutbox(), writer, Limits())
    stored = room.apply(DocName.NOTES, one_note(1), Member("s", Role.PARTICIPANT, "p", "P"))
    # Done already: the write can be acknowledged in the turn that received it.
    assert stored is not None and stored.done() and stored.exception() is None
    assert room.is_flushed
    assert len((await store.load_doc("b1", DocName.NOTES)).updates) == 1
    await writer.close()
    await engine.dispose()


async def test_while_another_process_holds_the_lock_updates_wait_off_the_loop(
    tmp_path: Path,
) -> None:
    engine, store = await make_store(tmp_path, loop_commit_share=1.0)
    writer = UpdateWriter(store, compact_after_updates=10_000)
    writer.start()
    empty = await store.load_doc("b1", DocName.NOTES)
    room = BoardRoom("b1", {n: empty for n in DocName}, RecordingOutbox(), writer, Limits())
    member = Member("s", Role.PARTICIPANT, "p", "P")
    other = sqlite3.connect(tmp_path / "w.sqlite3", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    updates = [one_note(1), one_note(2)]
    started = time.monotonic()
    first = room.apply(DocName.NOTES, updates[0], member)
    second = room.apply(DocName.NOTES, updates[1], member)
    # Refused on the loop at once, not after SQLite's 10-s busy timeout: the loop went on.
    assert time.monotonic() - started < 5
    await asyncio.sleep(0.2)
    assert first is not None and second is not None
    assert not first.done() and not second.done()  # not acknowledged: not stored yet
    other.execute("COMMIT")
    other.close()
    await asyncio.wait_for(asyncio.gather(first, second), 15)
    stored = await store.load_doc("b1", DocName.NOTES)
    assert stored.updates == updates  # in the order they were accepted
    await writer.close()
    await engine.dispose()
