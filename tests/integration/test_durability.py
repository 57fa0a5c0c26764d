"""Acknowledged edits survive restarts and crashes; compaction and unloading lose nothing."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from pycrdt import Map

from server.boards.protocol import DocName
from server.boards.store import BoardStore
from server.db import create_engine
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
    bob = await join(server.url, clients, board)
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
