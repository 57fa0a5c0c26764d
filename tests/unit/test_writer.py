"""UpdateWriter on a real SQLite database: grouped commits, acks after commit, nothing lost."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from pycrdt import Doc, Map

from server.boards.protocol import DocName, Role
from server.boards.room import BoardRoom, Member
from server.boards.store import BoardRecord, BoardStore, utc_now
from server.boards.writer import UpdateWriter
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
