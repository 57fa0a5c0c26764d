"""Compaction on a shared SQLite file: another process's snapshot written meanwhile is merged,
never overwritten (two processes with Redis compact the same board's documents)."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

from pycrdt import Doc, Map, merge_updates

from server.storage.board_store import BoardStore
from tests.unit.storage.test_writer import make_store, one_note


def notes_in(update: bytes) -> set[str]:
    doc: Doc[Any] = Doc()
    doc.apply_update(update)
    return set(doc.get("notes", type=Map).keys())


async def stored_snapshot(store: BoardStore) -> bytes:
    stored = await store.load_doc("b1", "notes")
    assert stored.snapshot is not None
    return stored.snapshot


async def test_a_snapshot_written_by_another_process_meanwhile_is_merged(tmp_path: Path) -> None:
    engine, store = await make_store(tmp_path)
    await store.compact("b1", "notes", one_note(0), [], merge=True)
    # The other process: it holds the write lock and replaces the snapshot with a bigger one.
    other = sqlite3.connect(tmp_path / "w.sqlite3", isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        theirs = merge_updates(one_note(0), one_note(1))
        other.execute(
            "UPDATE snapshots SET data = ? WHERE board_id = 'b1' AND doc = 'notes'", [theirs]
        )
        # Ours starts while theirs is not committed yet, and must wait for it, then merge it.
        ours = asyncio.create_task(store.compact("b1", "notes", one_note(2), [], merge=True))
        await asyncio.sleep(0.3)
        assert not ours.done()
        other.execute("COMMIT")
    finally:
        other.close()  # also releases the lock if the test failed before committing
    await ours
    assert notes_in(await stored_snapshot(store)) == {"n0", "n1", "n2"}
    await store.close()
    await engine.dispose()
