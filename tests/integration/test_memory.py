"""A big board's memory goes back to the system once the board is unloaded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from pycrdt import Map, Text

from tests.conftest import create_board
from tests.support.waiting import eventually
from tests.support.yclient import YClient, join_board

# About 0.9 MB per update (under the 1 MB message limit), 20 of them: the board's documents take
# a few hundred MB in the server, far above what it holds idle.
# A board as full as the limits let one participant make it: 5,000 notes of 4,000 characters
# (docs/board-schema.md, Limits), in messages of at most 1 MB.
NOTES_PER_UPDATE = 250
TEXT_CHARS = 3990
UPDATES = 20


def resident_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS line")


def many_notes(batch: int, author_id: str | None):
    """As many notes of the longest text as one message carries, in the board's shape."""

    def edit(doc: Any) -> None:
        notes = doc.get("notes", type=Map)
        for i in range(NOTES_PER_UPDATE):
            text = f"{batch}-{i} " + "x" * (TEXT_CHARS - 10)
            notes[f"b{batch}-{i}"] = Map({"text": Text(text), "authorId": author_id})

    return edit


def rooms_loaded(url: str) -> int:
    count: int = httpx.get(f"{url}/healthz", timeout=10).json()["rooms"]
    return count


async def test_an_unloaded_board_gives_its_memory_back(own_server, clients: list[YClient]) -> None:
    # Regression: after a board filled by one participant unloaded, the process kept 600 MB.
    server = own_server(ARDOISE_UNLOAD_DELAY_S="0.2", ARDOISE_WRITES_PER_SECOND="1000")
    board = create_board(server.url)
    idle = resident_mb(server.pid)
    writer = await join_board(server.url, clients, board, "participant")
    for batch in range(UPDATES):
        assert await writer.write("notes", many_notes(batch, writer.me)) == {"ok": True}
    loaded = resident_mb(server.pid)
    # The structure limits keep the fullest board to about 45 MB in memory (600 MB before them);
    # the growth must be large enough for the check below to measure anything.
    assert loaded - idle > 30, (idle, loaded)
    await writer.disconnect()
    await eventually(lambda: rooms_loaded(server.url) == 0, timeout=20, what="board unloaded")
    await eventually(
        lambda: resident_mb(server.pid) < idle + (loaded - idle) / 3,
        timeout=20,
        what=f"memory back near idle ({idle:.0f} MB idle, {loaded:.0f} MB loaded)",
    )
