"""UpdateWriter: group commit of accepted updates, then compaction of long logs.

Every accepted update of every room goes into one queue; one task commits whatever has gathered
in a single transaction, so 200 concurrent writers share a commit instead of each paying one, and
their acknowledgements are released only once the commit returns.
When nothing is queued or being committed, an update is first offered to the store's commit on
the event loop (`BoardStore.commit_now`): committed there, it is acknowledged at once, before
its fan-out; refused (the database busy, the loop's share spent), it takes the queue.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from server.boards.room import BoardRoom, Snapshot
from server.boards.store import BoardStore, PendingUpdate, PendingVote

log = logging.getLogger(__name__)

# Bounds one transaction, so a burst after a stall does not build one huge statement.
_MAX_BATCH = 2000
# A database that fails is retried, never given up on: the updates are already on the board.
_RETRY_FIRST_S = 0.05
_RETRY_MAX_S = 5.0


@dataclass(slots=True)
class _Job:
    """An update to store (`vote` None) or a vote change to store (`update` empty)."""

    room: BoardRoom
    doc: str
    update: bytes
    done: asyncio.Future[None]
    vote: PendingVote | None = None


class BoardGone(Exception):
    """The board row disappeared; its updates cannot be stored."""


class UpdateWriter:
    """Implements the room's Persister."""

    def __init__(self, store: BoardStore, compact_after_updates: int) -> None:
        self._store = store
        self._compact_after = compact_after_updates
        self._queue: list[_Job] = []
        self._wakeup = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._closing = False
        self._committing = False  # the task has a batch in a transaction
        self._compactions: set[asyncio.Task[None]] = set()
        # Counters for tests and benchmarks: how well commits are grouped.
        self.commits = 0
        self.stored_updates = 0
        self.compactions = 0

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="ardoise-update-writer")

    def persist(self, room: BoardRoom, doc: str, update: bytes) -> asyncio.Future[None]:
        """A future that completes once `update` is committed: often already, on return."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._submit(_Job(room, doc, update, done))
        return done

    def persist_vote(
        self, room: BoardRoom, participant_id: str, note_id: str, count: int
    ) -> asyncio.Future[None]:
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        vote = PendingVote(room.board_id, participant_id, note_id, count)
        self._submit(_Job(room, "", b"", done, vote))
        return done

    def _submit(self, job: _Job) -> None:
        # Only when nothing is ahead of it: a queued update is never overtaken.
        if not self._queue and not self._committing and not self._closing:
            pending, vote_changes = _split([job])
            ids = self._store.commit_now(pending, vote_changes)
            if ids is not None:
                self._counted(ids)
                self._finish([job], ids)
                return
        self._queue.append(job)
        self._wakeup.set()

    async def close(self) -> None:
        """Commit everything queued, finish compactions, stop."""
        self._closing = True
        self._wakeup.set()
        if self._task is not None:
            await self._task
        if self._compactions:
            await asyncio.gather(*self._compactions)

    async def _run(self) -> None:
        while True:
            await self._wakeup.wait()
            self._wakeup.clear()
            while self._queue:
                batch = self._queue[:_MAX_BATCH]
                del self._queue[:_MAX_BATCH]
                self._committing = True
                try:
                    await self._commit(batch)
                finally:
                    self._committing = False
            if self._closing:
                return

    async def _commit(self, batch: list[_Job]) -> None:
        pending, vote_changes = _split(batch)
        delay = _RETRY_FIRST_S
        while True:
            try:
                ids = await self._store.commit(pending, vote_changes)
                self._counted(ids)
                break
            except IntegrityError:
                await self._commit_one_by_one(batch)
                return
            except (SQLAlchemyError, OSError):
                log.exception("storing %d updates failed; retrying in %.2fs", len(batch), delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, _RETRY_MAX_S)
        self._finish(batch, ids)

    async def _commit_one_by_one(self, batch: list[_Job]) -> None:
        """Isolate the updates of a deleted board so the others are still stored."""
        for job in batch:
            try:
                if job.vote is None:
                    pending = [PendingUpdate(job.room.board_id, job.doc, job.update)]
                    ids = await self._store.commit(pending)
                else:
                    ids = await self._store.commit([], [job.vote])
            except IntegrityError:
                log.error("board %s no longer exists; change not stored", job.room.board_id)
                if job.vote is None:
                    job.room.on_committed(job.doc, 0, len(job.update))
                if not job.done.done():
                    job.done.set_exception(BoardGone(job.room.board_id))
                continue
            self._finish([job], ids)

    def _counted(self, ids: list[int]) -> None:
        self.commits += 1
        self.stored_updates += len(ids)

    def _finish(self, batch: list[_Job], ids: list[int]) -> None:
        touched: dict[tuple[str, str], BoardRoom] = {}
        log_ids = iter(ids)
        for job in batch:
            if job.vote is None:
                job.room.on_committed(job.doc, next(log_ids), len(job.update))
                touched[(job.room.board_id, job.doc)] = job.room
            if not job.done.done():
                job.done.set_result(None)
        for (_, doc), room in touched.items():
            if room.needs_compaction(doc, self._compact_after):
                self.compact(room, doc)

    def compact(self, room: BoardRoom, doc: str) -> None:
        """Snapshot the document now (in this same event-loop turn) and replace its log."""
        snapshot = room.take_snapshot(doc)
        if snapshot is None:
            return
        task = asyncio.create_task(self._store_snapshot(room, doc, snapshot))
        self._compactions.add(task)
        task.add_done_callback(self._compactions.discard)

    async def _store_snapshot(self, room: BoardRoom, doc: str, snapshot: Snapshot) -> None:
        try:
            await self._store.compact(
                room.board_id, doc, snapshot.data, snapshot.row_ids, merge=room.is_shared
            )
        except (SQLAlchemyError, OSError):
            log.exception("compacting board %s %s failed; the log is kept", room.board_id, doc)
            room.on_compacted(doc, snapshot, succeeded=False)
            return
        self.compactions += 1
        room.on_compacted(doc, snapshot, succeeded=True)


def _split(batch: list[_Job]) -> tuple[list[PendingUpdate], list[PendingVote]]:
    """The updates (in order: the store returns their log ids in the same order) and the votes."""
    pending = [
        PendingUpdate(job.room.board_id, job.doc, job.update) for job in batch if job.vote is None
    ]
    return pending, [job.vote for job in batch if job.vote is not None]
