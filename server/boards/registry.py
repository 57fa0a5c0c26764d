"""RoomRegistry: loads a board's room on first use, unloads it once empty and flushed."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Protocol

from server.boards.archive import Archive
from server.boards.bus import Bus, BusMessage
from server.boards.note_tree import NoteTree
from server.boards.records import StoredBoard
from server.boards.room import BoardRoom, Outbox, Persister, board_note_trees, build_docs
from server.memory import return_freed_memory
from server.settings import Limits

log = logging.getLogger(__name__)


class BoardLoader(Protocol):
    """Where a board's stored state is read from (the database, in the server)."""

    async def load_board(self, board_id: str) -> StoredBoard: ...


# Reads where the items of a board's notes documents sit (room.board_note_trees), somewhere that
# does not hold the event loop: a thread by default, a worker process for big boards in the server.
TreeReader = Callable[[StoredBoard], Awaitable[dict[str, NoteTree]]]


async def _trees_in_a_thread(stored: StoredBoard) -> dict[str, NoteTree]:
    return await asyncio.to_thread(board_note_trees, stored)


class RoomRegistry:
    def __init__(
        self,
        loader: BoardLoader,
        persister: Persister,
        outbox_factory: Callable[[str], Outbox],
        limits: Limits,
        unload_delay_s: float,
        bus: Bus | None = None,
        read_trees: TreeReader = _trees_in_a_thread,
        archive: Archive | None = None,
    ) -> None:
        self._read_trees = read_trees
        self._loader = loader
        self._archive = archive
        self._bus = bus
        self._persister = persister
        self._outbox_factory = outbox_factory
        self._limits = limits
        self._unload_delay_s = unload_delay_s
        self._rooms: dict[str, BoardRoom] = {}
        self._load_locks: dict[str, asyncio.Lock] = {}
        self._unloads: dict[str, asyncio.Task[None]] = {}
        self._trims: set[asyncio.Future[None]] = set()

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

    @asynccontextmanager
    async def borrowed(self, board_id: str) -> AsyncIterator[BoardRoom]:
        """The board's room for a request that does not join it (a read, an export, an edit).

        Released on the way out, whatever happens, so that a room nobody joins is unloaded.
        """
        room = await self.get(board_id)
        try:
            yield room
        finally:
            if room.is_empty:
                self.release(room)

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
            stored = await self._loader.load_board(board_id)
            # The note index beside the event loop while the documents are built on it, a
            # bounded piece at a time.
            trees, built = await asyncio.gather(
                self._read_trees(stored), build_docs(board_id, stored)
            )
            room = BoardRoom(
                board_id,
                stored.shared,
                self._outbox_factory(board_id),
                self._persister,
                self._limits,
                private=stored.private,
                votes=stored.votes,
                bus=self._bus,
                trees=trees,
                archive=self._archive,
                built=built,
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
        room.compact_due_documents()
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
            # Its last version is written from the documents' bytes: memory is handed back after.
            await room.archived()
            log.debug("unloaded board %s", room.board_id)
            # Once this coroutine has let go of the room: its documents are freed by then.
            asyncio.get_running_loop().call_soon(self._return_memory)
        elif room.is_empty:
            self.release(room)

    def _return_memory(self) -> None:
        """Hand the freed memory of an unloaded board back to the system, off the event loop."""
        task = asyncio.ensure_future(asyncio.to_thread(return_freed_memory))
        self._trims.add(task)
        task.add_done_callback(self._trims.discard)

    async def close(self) -> None:
        """Stop unload timers and drop the rooms (the persister is closed by its owner first)."""
        for task in list(self._unloads.values()):
            task.cancel()
        await asyncio.gather(*self._unloads.values(), *self._trims, return_exceptions=True)
        for room in self._rooms.values():
            room.close()
        self._rooms.clear()
