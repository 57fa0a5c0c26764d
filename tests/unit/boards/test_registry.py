"""RoomRegistry: one load per board, unloads only when empty and flushed, bus replay, close."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from pycrdt import Doc, Map

from server.boards.bus import BusKind, BusMessage
from server.boards.records import BoardRecord, StoredBoard, StoredDoc, utc_now
from server.boards.registry import RoomRegistry
from server.boards.room import Member
from server.protocol import SHARED_DOCS, DocName, Role, encode_update
from server.settings import Limits
from server.storage.board_store import BoardStore
from server.storage.engine import create_engine
from server.storage.schema import migrate
from server.storage.writer import UpdateWriter
from tests.support.waiting import eventually
from tests.unit.boards.test_room import MemoryPersister, RecordingOutbox, note_update

DELAY_S = 0.05
EMPTY = StoredDoc(None, [], 0)
MEMBER = Member("s1", Role.PARTICIPANT, "p1", "Paul")


class ClosableOutbox(RecordingOutbox):
    closed = False

    def close(self) -> None:
        self.closed = True


class Outboxes:
    """The registry's outbox factory: one outbox per room it makes, so one per load."""

    def __init__(self) -> None:
        self.made: list[tuple[str, ClosableOutbox]] = []

    def __call__(self, board_id: str) -> ClosableOutbox:
        self.made.append((board_id, ClosableOutbox()))
        return self.made[-1][1]


class GatedLoader:
    """An empty board, once `gate` is open; the next `failures` loads fail."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.gate = asyncio.Event()
        self.gate.set()
        self.failures = 0

    async def load_board(self, board_id: str) -> StoredBoard:
        self.calls.append(board_id)
        await self.gate.wait()
        if self.failures:
            self.failures -= 1
            raise OSError("the database is down")
        return StoredBoard({d.value: EMPTY for d in SHARED_DOCS}, {}, {})


class MemoryBus:
    def __init__(self) -> None:
        self.receivers: dict[str, Callable[[BusMessage], None]] = {}
        self.unsubscribed: list[str] = []

    def publish(self, board_id: str, message: BusMessage) -> None:
        pass

    async def subscribe(self, board_id: str, deliver: Callable[[BusMessage], None]) -> None:
        self.receivers[board_id] = deliver

    async def unsubscribe(self, board_id: str) -> None:
        del self.receivers[board_id]
        self.unsubscribed.append(board_id)


def registry_with(
    loader: Any, persister: Any = None, bus: MemoryBus | None = None, delay_s: float = DELAY_S
) -> tuple[RoomRegistry, Outboxes]:
    outboxes = Outboxes()
    persister = persister or MemoryPersister()
    return RoomRegistry(loader, persister, outboxes, Limits(), delay_s, bus), outboxes


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[BoardStore]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'r.sqlite3'}")
    await migrate(engine)
    board_store = BoardStore(engine)
    await board_store.create_board(
        BoardRecord("b1", "T", "blank", "fr", "ABCDEF", True, "0" * 64, "p", "o", utc_now())
    )
    yield board_store
    await board_store.close()
    await engine.dispose()


def notes_of(room: Any) -> set[str]:
    return set(room.doc(DocName.NOTES).get("notes", type=Map).keys())


async def test_many_joining_at_once_load_the_board_once(store: BoardStore) -> None:
    registry, outboxes = registry_with(store)
    rooms = await asyncio.gather(*(registry.get("b1") for _ in range(10)))
    assert all(room is rooms[0] for room in rooms)
    assert [board for board, _ in outboxes.made] == ["b1"]
    assert registry.room_count == 1
    await registry.close()


async def test_an_empty_flushed_room_is_unloaded_after_the_delay_and_reloaded_later(
    store: BoardStore,
) -> None:
    writer = UpdateWriter(store, compact_after_updates=1000)
    writer.start()
    delay_s = 0.3  # longer than the commit takes: the unload must wait for the delay
    registry, outboxes = registry_with(store, writer, delay_s=delay_s)
    loop = asyncio.get_running_loop()
    room = await registry.get("b1")
    loaded_at = loop.time()  # the delay began in `get`, a little earlier
    stored = room.apply(
        DocName.NOTES, note_update(Doc(), "kept", author_id=MEMBER.participant_id), MEMBER
    )
    assert stored is not None
    await stored
    await eventually(lambda: registry.loaded("b1") is None, what="unloaded")
    assert loop.time() - loaded_at >= delay_s - 0.01  # asyncio's timers may fire a hair early
    assert outboxes.made[0][1].closed
    again = await registry.get("b1")
    assert again is not room and notes_of(again) == {"kept"}  # read back from the database
    assert len(outboxes.made) == 2
    await registry.close()
    await writer.close()


async def unloaded_reference(registry: RoomRegistry) -> None:
    """Load an empty board now and wait until it is unloaded: the delay of every room released
    before it has then passed too (same delay, earlier timers fire first)."""
    await registry.get("reference")
    await eventually(lambda: registry.loaded("reference") is None, what="reference unloaded")


async def test_a_room_with_an_uncommitted_update_stays_until_it_is_flushed() -> None:
    persister = MemoryPersister()
    registry, outboxes = registry_with(GatedLoader(), persister)
    room = await registry.get("b1")
    room.apply(
        DocName.NOTES, note_update(Doc(), "pending", author_id=MEMBER.participant_id), MEMBER
    )
    await unloaded_reference(registry)
    assert registry.loaded("b1") is room and not outboxes.made[0][1].closed
    persister.commit_all()
    await eventually(lambda: registry.loaded("b1") is None, what="unloaded once flushed")
    assert outboxes.made[0][1].closed


async def test_a_member_joining_during_the_delay_keeps_the_room() -> None:
    registry, _ = registry_with(GatedLoader())
    room = await registry.get("b1")
    room.join(MEMBER, {})
    await unloaded_reference(registry)
    assert registry.loaded("b1") is room
    room.leave(MEMBER.sid)
    registry.release(room)
    await eventually(lambda: registry.loaded("b1") is None, what="unloaded once left")


async def test_a_failed_load_unsubscribes_and_the_next_get_loads_again() -> None:
    loader, bus = GatedLoader(), MemoryBus()
    registry, outboxes = registry_with(loader, bus=bus)
    loader.gate.clear()
    loader.failures = 1
    first = asyncio.create_task(registry.get("b1"))
    await eventually(lambda: loader.calls == ["b1"], what="the first load started")
    second = asyncio.create_task(registry.get("b1"))  # waits for the first load
    loader.gate.set()
    with pytest.raises(OSError, match="database is down"):
        await first
    assert bus.unsubscribed == ["b1"]
    room = await second
    assert loader.calls == ["b1", "b1"] and registry.loaded("b1") is room
    assert list(bus.receivers) == ["b1"] and len(outboxes.made) == 1
    await registry.close()


def update_message(update: bytes) -> BusMessage:
    return BusMessage(BusKind.UPDATE, DocName.NOTES.value, update)


async def test_bus_messages_arriving_during_the_load_are_replayed_in_order() -> None:
    loader, bus = GatedLoader(), MemoryBus()
    registry, outboxes = registry_with(loader, bus=bus)
    elsewhere: Doc[Any] = Doc()
    first, second, third = (note_update(elsewhere, n) for n in ("n1", "n2", "n3"))
    loader.gate.clear()
    getting = asyncio.create_task(registry.get("b1"))
    await eventually(lambda: loader.calls == ["b1"], what="the load started")
    bus.receivers["b1"](update_message(first))
    bus.receivers["b1"](update_message(second))  # builds on the first
    loader.gate.set()
    room = await getting
    assert notes_of(room) == {"n1", "n2"}
    bus.receivers["b1"](update_message(third))  # after the load: straight to the room
    assert notes_of(room) == {"n1", "n2", "n3"}
    outbox = outboxes.made[0][1]
    relayed = [args[1] for _, args, _ in outbox.to_all]
    assert relayed == [encode_update(u) for u in (first, second, third)]
    await registry.close()


async def test_close_drops_every_room_at_once_and_stops_the_unload_timers() -> None:
    registry, outboxes = registry_with(GatedLoader(), delay_s=600)
    busy = await registry.get("busy")
    busy.join(MEMBER, {})
    await registry.get("idle")
    # At once: the timers are cancelled, not waited for (a stopping server must not wait).
    await asyncio.wait_for(registry.close(), timeout=10)
    assert registry.room_count == 0
    assert registry.loaded("busy") is None and registry.loaded("idle") is None
    assert [board for board, _ in outboxes.made] == ["busy", "idle"]
    assert all(outbox.closed for _, outbox in outboxes.made)
    # The idle room's unload timer is cancelled, not left to run on a closed registry.
    assert asyncio.all_tasks() == {asyncio.current_task()}


async def test_a_borrowed_room_is_released_even_when_the_request_fails() -> None:
    # An HTTP request that raised between `get` and its hand-made release kept the room loaded
    # for ever: `borrowed` releases it on every way out.
    registry, outboxes = registry_with(GatedLoader())
    room = await registry.get("b1")
    room.join(MEMBER, {})
    await unloaded_reference(registry)  # the load's own unload timer has passed
    room.leave(MEMBER.sid)  # and nobody released the room since
    with pytest.raises(LookupError):
        async with registry.borrowed("b1") as borrowed:
            assert borrowed is room
            raise LookupError("the request failed")
    await eventually(lambda: registry.loaded("b1") is None, what="unloaded once returned")
    assert outboxes.made[0][1].closed
    await registry.close()
