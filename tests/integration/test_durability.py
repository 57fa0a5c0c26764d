"""Acknowledged edits survive restarts and crashes; compaction and unloading lose nothing."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from pycrdt import Map
from sqlalchemy import delete, func, select

from server.protocol import DocName
from server.storage.board_store import BoardStore
from server.storage.engine import create_engine
from server.storage.tables import updates
from tests.conftest import create_board
from tests.support.waiting import eventually
from tests.support.yclient import YClient, join_board


async def join(url: str, clients: list[YClient], board: dict, role: str = "participant") -> YClient:
    return await join_board(url, clients, board, role, {"id": f"c{len(clients) + 1}", "name": "x"})


async def log_length(database_url: str, board_id: str) -> int:
    engine = create_engine(database_url)
    try:
        return await BoardStore(engine).count_updates(board_id, DocName.NOTES)
    finally:
        await engine.dispose()


@pytest.mark.parametrize("sqlite_sync", ["full", "normal"])
async def test_every_acknowledged_note_survives_a_crash(
    own_server, clients: list[YClient], sqlite_sync: str
) -> None:
    # With SQLite, "normal" keeps this promise (a crash of the process), "full" a power cut too.
    server = own_server(ARDOISE_SQLITE_SYNC=sqlite_sync)
    board = create_board(server.url)
    writers = [await join(server.url, clients, board) for _ in range(4)]

    async def write_many(client: YClient, who: int) -> None:
        for i in range(15):
            assert await client.add_note(f"w{who}-{i}", f"note {who}-{i}") == {"ok": True}

    await asyncio.gather(*(write_many(c, n) for n, c in enumerate(writers)))
    server.kill()  # SIGKILL: no shutdown, no flush; only what was acknowledged may be relied on
    for client in writers:
        await client.disconnect()
    server.start()
    reader = await join(server.url, clients, board)
    assert reader.note_texts() == {f"note {w}-{i}" for w in range(4) for i in range(15)}
    assert reader.meta()["title"] == "Atelier"


async def lose_log_rows_after(database_url: str, board_id: str, mark: int) -> int:
    """What a power cut can do under ARDOISE_SQLITE_SYNC=normal: the last commits undone."""
    engine = create_engine(database_url)
    try:
        async with engine.begin() as conn:
            lost = await conn.execute(
                delete(updates).where(updates.c.board_id == board_id, updates.c.id > mark)
            )
            return int(lost.rowcount)
    finally:
        await engine.dispose()


async def last_log_row(database_url: str, board_id: str) -> int:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            found = await conn.execute(
                select(func.max(updates.c.id)).where(updates.c.board_id == board_id)
            )
            return int(found.scalar_one() or 0)
    finally:
        await engine.dispose()


async def test_edits_the_server_lost_come_back_from_a_participant_who_holds_them(
    own_server, clients: list[YClient]
) -> None:
    """docs/deployment.md's promise for a power cut under `normal`: a participant still holding
    the lost edits sends them back when it reconnects (its answer to the server's step 1)."""
    server = own_server()
    board = create_board(server.url)
    alice = await join(server.url, clients, board)
    assert alice.welcome is not None
    credential = alice.welcome["credential"]  # kept by her browser: she is the same person after
    assert await alice.add_note("kept", "gardée") == {"ok": True}
    mark = await last_log_row(server.database_url, board["id"])
    for i in range(5):
        assert await alice.add_note(f"lost{i}", f"perdue {i}") == {"ok": True}
    server.stop()
    await alice.disconnect()
    assert await lose_log_rows_after(server.database_url, board["id"], mark) == 5
    server.start()
    assert (await join(server.url, clients, board)).note_texts() == {"gardée"}

    alice.fresh_sio()
    alice.url = server.url  # the restarted server listens on a new port
    await alice.connect(
        board["id"], board["tokens"]["participant"], {"credential": credential, "name": "x"}
    )
    expected = {"gardée", *(f"perdue {i}" for i in range(5))}
    assert alice.note_texts() == expected
    await eventually(lambda: all(ack.done() for ack in alice.step2_acks), what="step 2 acks")
    assert all(ack.result() == {"ok": True} for ack in alice.step2_acks)
    assert (await join(server.url, clients, board)).note_texts() == expected


async def test_graceful_restart_keeps_the_board(own_server, clients: list[YClient]) -> None:
    server = own_server()
    board = create_board(server.url)
    client = await join(server.url, clients, board, "facilitator")
    await client.write("layout", lambda d: d.get("meta", type=Map).__setitem__("locked", True))
    await client.add_note("n", "avant redémarrage")
    server.restart()
    await client.disconnect()
    again = await join(server.url, clients, board)
    assert again.note_texts() == {"avant redémarrage"}
    assert again.meta()["locked"] is True


async def test_compaction_replaces_the_log_and_loses_nothing(
    own_server, clients: list[YClient]
) -> None:
    server = own_server(ARDOISE_COMPACT_AFTER_UPDATES="10")
    board = create_board(server.url)
    alice = await join(server.url, clients, board)
    bob = await join(server.url, clients, board, "facilitator")  # may change Alice's notes
    for i in range(25):
        await alice.add_note(f"a{i}", f"A{i}")
        # The ack says stored; the relay to Bob may come a moment later (merged relays).
        await eventually(lambda i=i: f"A{i}" in bob.note_texts())
        await bob.write(
            "notes", lambda d, i=i: d.get("notes", type=Map)[f"a{i}"]["text"].__iadd__("+")
        )
    expected = {f"A{i}+" for i in range(25)}
    await eventually(lambda: alice.note_texts() == expected)

    # 50 updates logged; compaction keeps the log under the threshold (plus what is in flight).
    async def log_is_compacted() -> bool:
        return await log_length(server.database_url, board["id"]) < 20

    await eventually(log_is_compacted, what="the log is compacted")
    server.kill()
    server.start()
    reader = await join(server.url, clients, board)
    assert reader.note_texts() == expected


async def stored_parts(database_url: str, board_id: str) -> int:
    engine = create_engine(database_url)
    try:
        return len((await BoardStore(engine).load_doc(board_id, DocName.NOTES)).parts)
    finally:
        await engine.dispose()


async def test_a_big_board_compacted_into_parts_loses_nothing(
    own_server, clients: list[YClient]
) -> None:
    """Past WHOLE_SNAPSHOT_MAX_BYTES a board's log is merged into parts (server/boards/
    doc_state.py): across a crash and a cold load, every acknowledged note is back."""
    server = own_server(ARDOISE_COMPACT_AFTER_UPDATES="20", ARDOISE_WRITES_PER_SECOND="10000")
    board = create_board(server.url)
    alice = await join(server.url, clients, board)
    expected = set()
    for i in range(250):  # about 3 KB each: 750 KB in all
        text = f"{i} " + "é" * 1500
        assert await alice.add_note(f"a{i}", text) == {"ok": True}
        expected.add(text)

    async def has_parts() -> bool:
        return await stored_parts(server.database_url, board["id"]) >= 1

    await eventually(has_parts, what="the log is merged into parts")
    server.kill()
    server.start()
    reader = await join(server.url, clients, board)
    assert reader.note_texts() == expected


async def test_empty_room_unloads_after_flush_and_reloads_intact(
    own_server, clients: list[YClient]
) -> None:
    server = own_server(ARDOISE_UNLOAD_DELAY_S="0.2")
    board = create_board(server.url)

    def rooms() -> int:
        return int(httpx.get(f"{server.url}/healthz").json()["rooms"])

    await eventually(lambda: rooms() == 0, what="the creation's room unloads")
    client = await join(server.url, clients, board)
    assert rooms() == 1
    await client.add_note("n", "gardée")
    await client.disconnect()
    await eventually(lambda: rooms() == 0, what="the room unloads once empty")
    again = await join(server.url, clients, board)
    assert again.note_texts() == {"gardée"}
