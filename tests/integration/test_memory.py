"""A big board's memory goes back to the system once the board is unloaded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from pycrdt import Map

from tests.conftest import create_board
from tests.support.waiting import eventually
from tests.support.yclient import YClient, join_board

# About 0.9 MB per update (under the 1 MB message limit), 20 of them: the board's documents take
# a few hundred MB in the server, far above what it holds idle.
ENTRIES_PER_UPDATE = 30_000
UPDATES = 20


def resident_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS line")


def many_entries(batch: int):
    def edit(doc: Any) -> None:
        notes = doc.get("notes", type=Map)
        for i in range(ENTRIES_PER_UPDATE):
            notes[f"b{batch}-{i}"] = i

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
        assert await writer.write("notes", many_entries(batch)) == {"ok": True}
    loaded = resident_mb(server.pid)
    assert loaded - idle > 100, (idle, loaded)  # else this test measures nothing
    await writer.disconnect()
    await eventually(lambda: rooms_loaded(server.url) == 0, timeout=20, what="board unloaded")
    await eventually(
        lambda: resident_mb(server.pid) < idle + (loaded - idle) / 3,
        timeout=20,
        what=f"memory back near idle ({idle:.0f} MB idle, {loaded:.0f} MB loaded)",
    )
