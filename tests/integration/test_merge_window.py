"""A busy board's outbox holds its messages for a few milliseconds to merge updates into fewer
messages; a quiet board's leave at once (server/realtime/merge_window.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from server.protocol import MessageType, SyncType, decode_frame
from tests.conftest import create_board
from tests.support.server_process import ServerProcess
from tests.support.waiting import eventually
from tests.support.yclient import YClient, join_board

WRITES = 6
# Far longer than one event-loop turn (what the outbox merges without a window), far shorter
# than the window of the "busy" server below.
GAP_S = 0.03


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[Callable[..., ServerProcess]]:
    """A factory for servers of the test's own settings, on SQLite (the window is storage-blind)."""
    started: list[ServerProcess] = []

    def start(**env: str) -> ServerProcess:
        data = tmp_path / f"server-{len(started)}"
        url = f"sqlite+aiosqlite:///{data / 'ardoise.sqlite3'}"
        proc = ServerProcess(data, url, env).start()
        started.append(proc)
        return proc

    yield start
    for proc in started:
        proc.stop()


async def update_messages_for_spaced_writes(server: ServerProcess, clients: list[YClient]) -> int:
    """How many update messages a reader gets for WRITES notes written GAP_S apart."""
    board = create_board(server.url)
    writer = await join_board(server.url, clients, board, "participant", {"id": "w", "name": "W"})
    reader = await join_board(server.url, clients, board, "observer", {"id": "r", "name": "R"})
    # The board's delivery rate is measured over periods of a second: let one end, with a write.
    await asyncio.sleep(1.1)
    assert await writer.add_note("first", "first") == {"ok": True}
    await eventually(lambda: "first" in reader.note_texts())
    seen = len(reader.frames)
    for k in range(WRITES):
        assert await writer.add_note(f"n{k}", f"idée {k}") == {"ok": True}
        await asyncio.sleep(GAP_S)
    expected = {"first", *(f"idée {k}" for k in range(WRITES))}
    await eventually(lambda: reader.note_texts() == expected, what="every note")
    updates = 0
    for name, frame in reader.frames[seen:]:
        message_type, sync_type, _ = decode_frame(frame)
        if name == "notes" and message_type is MessageType.SYNC and sync_type is SyncType.UPDATE:
            updates += 1
    return updates


async def test_a_busy_board_merges_writes_that_come_within_the_window(
    start_server: Callable[..., ServerProcess], clients: list[YClient]
) -> None:
    # "Busy" from one delivery a second, so that two clients make a heavy fan-out.
    server = start_server(ARDOISE_MERGE_FROM_DELIVERIES="1", ARDOISE_MERGE_WINDOW_MS="250")
    assert await update_messages_for_spaced_writes(server, clients) < WRITES


@pytest.mark.parametrize(
    "env",
    [
        {},  # the default rate: two clients are a quiet board
        {"ARDOISE_MERGE_FROM_DELIVERIES": "1", "ARDOISE_MERGE_WINDOW_MS": "0"},
    ],
    ids=["quiet-board", "window-off"],
)
async def test_otherwise_every_write_leaves_at_once(
    start_server: Callable[..., ServerProcess], clients: list[YClient], env: dict[str, str]
) -> None:
    server = start_server(**env)
    assert await update_messages_for_spaced_writes(server, clients) == WRITES
