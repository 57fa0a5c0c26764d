"""UpdateWriter on a real SQLite database: grouped commits, acks after commit, nothing lost."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from pycrdt import Doc, Map

from server.boards.protocol import DocName, Role
from server.boards.room import BoardRoom, Member
from server.boards.store import BoardRecord, BoardStore, utc_now
from server.boards.writer import BoardGone, UpdateWriter
from server.db import create_engine, create_schema
from server.settings import Limits
from tests.unit.test_room import RecordingOutbox


async def make_store(tmp_path: Path) -> tuple[Any, BoardStore]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'w.sqlite3'}")
    await create_schema(engine)
    store = BoardStore(engine)
    await store.create_board(
        BoardRecord("b1", "T", "blank", "fr", "ABCDEF", True, "0" * 64, "p", "o", utc_now())
    )
    return engine, store


def one_note(i: int) -> bytes:
    doc: Doc[Any] = Doc()
    doc.get("notes", type=Map)[f"n{i}"] = f"note {i}"
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
