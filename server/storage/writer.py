"""UpdateWriter: group commit of accepted updates, then compaction of long logs.

Every accepted update of every room goes into one queue; one task commits whatever has gathered
in a single transaction, so 200 concurrent writers share a commit instead of each paying one, and
their acknowledgements are released only once the commit returns.
When nothing is queued or being committed, an update is first offered to the store's commit on
the event loop (`BoardStore.commit_now`): committed there, it is acknowledged at once, before
its fan-out; refused (the database busy, the loop's share spent), it takes the queue.

A commit that fails is retried, in order, until it succeeds: the updates are on the board already.
The failure is reported to the store's `StorageHealth` at once, so that the rooms refuse new
writes and the waiting writers are answered `unavailable`; while storage fails and nothing is
queued, a probe finds out when it works again (docs/protocol.md section 4).
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from server.boards.records import PendingUpdate, PendingVote
from server.errors import ArdoiseError
from server.metrics import Metrics
from server.protocol import ErrorCode
from server.storage.board_store import BoardStore
from server.storage.faults import FaultKind, StorageFault, storage_fault

log = logging.getLogger(__name__)

# Bounds one transaction, so a burst after a stall does not build one huge statement.
_MAX_BATCH = 2000
# A database that fails is retried, never given up on: the updates are already on the board.
_RETRY_FIRST_S = 0.05
# Also how soon after storage returns the server notices it.
_RETRY_MAX_S = 2.0
# At shutdown, how long updates that storage refuses are kept trying before they are given up
# (never acknowledged: the clients that hold them send them again to the next server).
_GIVE_UP_AT_CLOSE_S = 5.0


@dataclass(slots=True)
class _Job:
    """An update to store (`vote` None) or a vote change to store (`update` empty)."""

    board_id: str
    doc_key: str
    update: bytes
    # An update's resolves to its log id, a vote's to 0.
    done: asyncio.Future[int]
    vote: PendingVote | None = None


class BoardGone(Exception):
    """The board row disappeared; its updates cannot be stored."""


class UpdateWriter:
    """The rooms' Persister: stores what they accepted and says when it is durable.

    It knows boards by id only: each future it returns resolves once its change is committed
    (an update's with its log id), and the room does its own bookkeeping from that.
    """

    def __init__(
        self, store: BoardStore, compact_after_updates: int, metrics: Metrics | None = None
    ) -> None:
        self._store = store
        self._metrics = metrics or Metrics()
        self.compact_after_updates = compact_after_updates
        self._queue: list[_Job] = []
        self._wakeup = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._closing = False
        self._committing = False  # the task has a batch in a transaction
        self._batch: list[_Job] = []  # the batch being committed
        self.health = store.health
        # Anyone else who meets a failure (a read, the HTTP API): start probing.
        self.health.watch(self._on_health)
        self._compactions: set[asyncio.Task[bool] | asyncio.Task[int]] = set()
        # Counters for tests and benchmarks: how well commits are grouped.
        self.commits = 0
        self.stored_updates = 0
        self.compactions = 0

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="ardoise-update-writer")

    def persist(self, board_id: str, doc_key: str, update: bytes) -> asyncio.Future[int]:
        """A future of the update's log id, once committed: often already, on return."""
        done: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._submit(_Job(board_id, doc_key, update, done))
        return done

    def persist_vote(self, vote: PendingVote) -> asyncio.Future[int]:
        done: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._submit(_Job(vote.board_id, "", b"", done, vote))
        return done

    def _on_health(self, fault: StorageFault | None) -> None:
        if fault is not None:
            self._wakeup.set()

    @property
    def failure(self) -> str | None:
        """Why nothing can be stored now, or None (the rooms' Persister protocol)."""
        return self.health.failure

    async def durable(self, stored: asyncio.Future[int]) -> int:
        """`stored`'s log id once committed; ArdoiseError `unavailable` as soon as storage is
        known to be failing (the update stays queued and is stored when storage returns)."""
        if not stored.done():
            if self.health.fault is None:
                failing: asyncio.Future[object] = asyncio.ensure_future(self.health.wait_failing())
                either: set[asyncio.Future[object]] = {stored, failing}  # type: ignore[arg-type]
                try:
                    await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    failing.cancel()
            if not stored.done():
                raise ArdoiseError(
                    ErrorCode.UNAVAILABLE,
                    f"the server cannot store changes now ({self.health.failure}): "
                    "kept, not yet stored; try again later",
                )
        return stored.result()

    def _submit(self, job: _Job) -> None:
        # Only when nothing is ahead of it: a queued update is never overtaken. Not while storage
        # fails: the queue's retries find out when it works again.
        if (
            not self._queue
            and not self._committing
            and not self._closing
            and self.health.fault is None
        ):
            pending, vote_changes = _split([job])
            started = time.monotonic()
            ids = self._store.commit_now(pending, vote_changes)
            if ids is not None:
                self._metrics.commit_seconds.observe(time.monotonic() - started)
                self._counted(ids)
                self._finish([job], ids)
                return
        self._queue.append(job)
        self._wakeup.set()

    async def close(self) -> None:
        """Commit everything queued, finish compactions, stop.

        While storage fails, what is left is tried for a few seconds more, then given up: those
        updates were never acknowledged, and are cancelled (answered "send it again")."""
        self._closing = True
        self._wakeup.set()
        if self._task is not None:
            failing_for = 0.0
            while not self._task.done():
                await asyncio.wait({self._task}, timeout=0.5)
                failing_for = failing_for + 0.5 if self.health.fault is not None else 0.0
                if failing_for >= _GIVE_UP_AT_CLOSE_S and not self._task.done():
                    self._give_up()
            await asyncio.gather(self._task, return_exceptions=True)
        if self._compactions:
            await asyncio.gather(*self._compactions, return_exceptions=True)

    def _give_up(self) -> None:
        assert self._task is not None
        left = self._batch + self._queue
        log.error(
            "storage still failing at shutdown (%s): %d accepted changes were never stored "
            "(nor acknowledged)",
            self.health.failure,
            len(left),
        )
        self._task.cancel()
        for job in left:
            job.done.cancel()
        self._queue.clear()

    async def _run(self) -> None:
        while True:
            if self.health.fault is not None and not self._queue and not self._closing:
                await self._probe_until_woken()
            else:
                await self._wakeup.wait()
            self._wakeup.clear()
            while self._queue:
                self._batch = self._queue[:_MAX_BATCH]
                del self._queue[:_MAX_BATCH]
                self._committing = True
                try:
                    await self._commit(self._batch)
                finally:
                    self._committing = False
                    self._batch = []
            if self._closing:
                return

    async def _probe_until_woken(self) -> None:
        """Storage fails and nothing is queued: probe it now and then until it works (or until
        something is queued, whose commit retries do the same)."""
        delay = _RETRY_FIRST_S
        while self.health.fault is not None and not self._wakeup.is_set():
            try:
                await asyncio.wait_for(self._wakeup.wait(), delay)
                return
            except TimeoutError:
                pass
            delay = min(delay * 2, _RETRY_MAX_S)
            try:
                await self._store.probe()
            except Exception as exc:  # noqa: BLE001  # whatever it is, storage does not work
                self._failed(exc, "probing storage")
            else:
                self.health.recovered()

    def _failed(self, error: BaseException, doing: str) -> None:
        self._metrics.storage_errors.inc()
        fault = storage_fault(error) or StorageFault(FaultKind.FAILED)
        if self.health.fault is None:
            log.error("%s failed (%s)", doing, fault.message, exc_info=error)
        self.health.failed(fault)

    async def _commit(self, batch: list[_Job]) -> None:
        pending, vote_changes = _split(batch)
        delay = _RETRY_FIRST_S
        while True:
            try:
                started = time.monotonic()
                ids = await self._store.commit(pending, vote_changes)
                self._metrics.commit_seconds.observe(time.monotonic() - started)
                self._counted(ids)
                break
            except IntegrityError:
                await self._commit_one_by_one(batch)
                return
            except (SQLAlchemyError, OSError, TimeoutError) as exc:
                self._failed(exc, f"storing {len(batch)} updates")
                log.info("storing %d updates: retrying in %.2fs", len(batch), delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, _RETRY_MAX_S)
                await self._forget_connections()
        self.health.recovered()
        self._finish(batch, ids)

    async def _forget_connections(self) -> None:
        try:
            await self._store.forget_connections()
        except Exception:  # only a cleanup; the retry meets the real error
            log.debug("closing the database's connections failed", exc_info=True)

    async def _commit_one_by_one(self, batch: list[_Job]) -> None:
        """Isolate the updates of a deleted board so the others are still stored."""
        for job in batch:
            try:
                if job.vote is None:
                    ids = await self._store.commit(
                        [PendingUpdate(job.board_id, job.doc_key, job.update)]
                    )
                else:
                    ids = await self._store.commit([], [job.vote])
            except IntegrityError:
                log.error("board %s no longer exists; change not stored", job.board_id)
                if not job.done.done():
                    job.done.set_exception(BoardGone(job.board_id))
                continue
            self._finish([job], ids)

    def _counted(self, ids: list[int]) -> None:
        self.commits += 1
        self.stored_updates += len(ids)

    @staticmethod
    def _finish(batch: list[_Job], ids: list[int]) -> None:
        log_ids = iter(ids)
        for job in batch:
            log_id = next(log_ids) if job.vote is None else 0
            if not job.done.done():
                job.done.set_result(log_id)

    def compact(
        self, board_id: str, doc_key: str, snapshot: bytes, row_ids: list[int], merge: bool
    ) -> asyncio.Future[bool]:
        """Store `snapshot` in place of the log rows `row_ids`; the future says if it was done.

        A failure keeps the log as it is: nothing is lost, the next compaction tries again.
        """
        task = asyncio.create_task(
            self._store_snapshot(board_id, doc_key, snapshot, row_ids, merge)
        )
        self._compactions.add(task)
        task.add_done_callback(self._compactions.discard)
        return task

    def compact_rows(self, board_id: str, doc_key: str, row_ids: list[int]) -> asyncio.Future[int]:
        """Merge the log rows `row_ids` into one snapshot part; the future gives its size (0: not
        done). A failure keeps the log as it is, as `compact`'s does."""
        task = asyncio.create_task(self._merge_rows(board_id, doc_key, row_ids))
        self._compactions.add(task)
        task.add_done_callback(self._compactions.discard)
        return task

    async def _merge_rows(self, board_id: str, doc_key: str, row_ids: list[int]) -> int:
        try:
            size = await self._store.compact_rows(board_id, doc_key, row_ids)
        except (SQLAlchemyError, OSError, TimeoutError) as exc:
            log.warning("compacting board %s %s failed; the log is kept", board_id, doc_key)
            fault = storage_fault(exc)
            if fault is not None:
                self.health.failed(fault)
            return 0
        if size:
            self.compactions += 1
        return size

    async def _store_snapshot(
        self, board_id: str, doc_key: str, snapshot: bytes, row_ids: list[int], merge: bool
    ) -> bool:
        try:
            await self._store.compact(board_id, doc_key, snapshot, row_ids, merge=merge)
        except (SQLAlchemyError, OSError, TimeoutError) as exc:
            log.warning("compacting board %s %s failed; the log is kept", board_id, doc_key)
            fault = storage_fault(exc)
            if fault is not None:
                self.health.failed(fault)
            return False
        self.compactions += 1
        return True


def _split(batch: list[_Job]) -> tuple[list[PendingUpdate], list[PendingVote]]:
    """The updates (in order: the store returns their log ids in the same order) and the votes."""
    pending = [
        PendingUpdate(job.board_id, job.doc_key, job.update) for job in batch if job.vote is None
    ]
    return pending, [job.vote for job in batch if job.vote is not None]
