"""ArchiveWriter: the rooms' Archive (server/boards/archive.py), storing deleted notes in the
trash and versions in the history, beside the update log and off its hot path."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine, Sequence
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from server.boards.history import NewVersion
from server.boards.trash import DeletedNote
from server.storage.history_store import HistoryStore
from server.storage.trash_store import TrashStore

log = logging.getLogger(__name__)

T = TypeVar("T")

# A deleted note's entry is tried again this many times, a little later each time, before it is
# given up (logged): the deletion it goes with is already on the board and acknowledged after.
_TRASH_ATTEMPTS = 6
_RETRY_FIRST_S = 0.05


class ArchiveWriter:
    def __init__(self, trash: TrashStore, history: HistoryStore, history_interval_s: float):
        self.trash = trash
        self.history = history
        self.history_interval_s = history_interval_s
        # Writes under way: kept until done (asyncio holds tasks weakly), awaited by `close`.
        self._writes: set[asyncio.Task[Any]] = set()

    def keep_deleted(self, board_id: str, notes: Sequence[DeletedNote]) -> asyncio.Future[None]:
        return self._track(self._store_deleted(board_id, list(notes)))

    def keep_version(self, board_id: str, version: NewVersion) -> asyncio.Future[int]:
        return self._track(self._store_version(board_id, version))

    async def close(self) -> None:
        """Finish the writes under way (before the database goes)."""
        while self._writes:
            await asyncio.gather(*self._writes, return_exceptions=True)

    def _track(self, work: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
        task = asyncio.create_task(work)
        self._writes.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._writes.discard(task)
        if not task.cancelled():
            task.exception()  # seen (and logged where it happened), whoever else waits or not

    async def _store_deleted(self, board_id: str, notes: list[DeletedNote]) -> None:
        delay = _RETRY_FIRST_S
        for attempt in range(_TRASH_ATTEMPTS):
            try:
                await self.trash.add(board_id, notes)
                return
            except IntegrityError:
                log.warning("board %s is gone; %d deleted notes not kept", board_id, len(notes))
                return
            except (SQLAlchemyError, OSError):
                if attempt == _TRASH_ATTEMPTS - 1:
                    log.exception("board %s: %d deleted notes not kept", board_id, len(notes))
                    return
                await asyncio.sleep(delay)
                delay *= 2

    async def _store_version(self, board_id: str, version: NewVersion) -> int:
        try:
            return await self.history.add(board_id, version)
        except (SQLAlchemyError, OSError):
            # Logged here: an automatic version has nobody waiting for it.
            log.exception("board %s: a version (%s) was not kept", board_id, version.reason)
            raise
