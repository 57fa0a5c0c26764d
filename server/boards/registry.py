"""RoomRegistry: loads a board's room on first use, unloads it once empty and flushed."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from server.boards.bus import Bus, BusMessage
from server.boards.protocol import SHARED_DOCS
from server.boards.room import BoardRoom, Outbox
from server.boards.store import BoardStore
from server.boards.writer import UpdateWriter
from server.settings import Limits

log = logging.getLogger(__name__)


class RoomRegistry:
    def __init__(
        self,
        store: BoardStore,
        writer: UpdateWriter,
        outbox_factory: Callable[[str], Outbox],
        limits: Limits,
        unload_delay_s: float,
        compact_after_updates: int,
        bus: Bus | None = None,
    ) -> None:
        self._store = store
        self._bus = bus
        self._writer = writer
        self._outbox_factory = outbox_factory
        self._limits = limits
        self._unload_delay_s = unload_delay_s
        self._compact_after = compact_after_updates
        self._rooms: dict[str, BoardRoom] = {}
        self._load_locks: dict[str, asyncio.Lock] = {}
        self._unloads: dict[str, asyncio.Task[None]] = {}

    def loaded(self, board_id: str) -> BoardRoom | None:
        return self._rooms.get(board_id)

    @property
    def room_count(self) -> int:
        return len(self._rooms)

    async def get(self, board_id: str) -> BoardRoom:
        """The board's room, loaded once even when many join at the same moment.

        The caller must use the room before its next await (e.g. join it), or call
        `release` when done: an empty room is unloaded after the delay.
        """
        room = self._rooms.get(board_id)
        if room is not None:
            return room
        lock = self._load_locks.setdefault(board_id, asyncio.Lock())
        async with lock:
            room = self._rooms.get(board_id)
            if room is None:
                room = await self._load(board_id)
        return room

    async def _load(self, board_id: str) -> BoardRoom:
        # Subscribe before reading the database, keeping what arrives meanwhile: a change stored
        # by another process during the load is either read or received (or both: a no-op).
        early: list[BusMessage] = []
        receivers: list[Callable[[BusMessage], None]] = []

        def deliver(message: BusMessage) -> None:
            if receivers:
                receivers[0](message)
            else:
                early.append(message)

        if self._bus is not None:
            await self._bus.subscribe(board_id, deliver)
        try:
            stored = {
                name.value: await self._store.load_doc(board_id, name.value) for name in SHARED_DOCS
            }
            room = BoardRoom(
                board_id,
                stored,
                self._outbox_factory(board_id),
                self._writer,
                self._limits,
                private=await self._store.load_private_docs(board_id),
                votes=await self._store.load_votes(board_id),
                bus=self._bus,
            )
        except BaseException:
            if self._bus is not None:
                await self._bus.unsubscribe(board_id)
            raise
        # No await from here on: the early messages are replayed and the room takes over at once.
        for message in early:
            room.receive(message)
        receivers.append(room.receive)
        self._rooms[board_id] = room
        for key in room.doc_keys():
            if room.needs_compaction(key, self._compact_after):
                self._writer.compact(room, key)
        self.release(room)
        return room

    def release(self, room: BoardRoom) -> None:
        """Unload the room after the delay if it is still empty then (and once flushed)."""
        if room.board_id not in self._unloads:
            task = asyncio.create_task(self._unload_when_idle(room))
            self._unloads[room.board_id] = task

    async def _unload_when_idle(self, room: BoardRoom) -> None:
        try:
            await asyncio.sleep(self._unload_delay_s)
            if not room.is_empty:
                return  # the last one to leave calls release() again
            # Unload only after the flush, or the last edits would be lost with the room.
            await room.flushed()
        finally:
            self._unloads.pop(room.board_id, None)
        if room.is_empty and room.is_flushed and self._rooms.get(room.board_id) is room:
            del self._rooms[room.board_id]
            self._load_locks.pop(room.board_id, None)
            room.close()
            if self._bus is not None:
                await self._bus.unsubscribe(room.board_id)
            log.debug("unloaded board %s", room.board_id)
        elif room.is_empty:
            self.release(room)

    async def close(self) -> None:
        """Stop unload timers, store everything accepted, drop the rooms."""
        for task in list(self._unloads.values()):
            task.cancel()
        await asyncio.gather(*self._unloads.values(), return_exceptions=True)
        await self._writer.close()
        for room in self._rooms.values():
            room.close()
        self._rooms.clear()
