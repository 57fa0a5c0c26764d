"""What a room keeps of what changes: deleted notes for the trash, earlier versions for the
history. Storage is injected (`Archive`); `RoomArchivist` decides what to keep and when."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from pycrdt import Doc

from server.boards.board_snapshot import read_zones
from server.boards.history import AUTO, BEFORE_DELETE, SESSION_END, NewVersion
from server.boards.trash import DeletedNote, Deleter, capture, capture_from_state
from server.protocol import SHARED_DOCS, DocName

if TYPE_CHECKING:
    from server.boards.room import Member

log = logging.getLogger(__name__)

# One change that deletes this many notes or more (a whole board cleared) is preceded by a
# version of the board as it was, so that the facilitator can bring it all back at once...
MASS_DELETE_NOTES = 10
# ...at most once a minute per board: deleting a few notes again and again costs no version each.
MASS_DELETE_GAP_S = 60.0
# Deleting this many notes at once (a whole board cleared) has them read in a worker thread:
# reading a note's values takes some 40 microseconds, thousands would hold the event loop.
CAPTURE_IN_THREAD_FROM = 100
# Names listed as who made an automatic version, at most.
_MAX_EDITOR_NAMES = 8
_SHARED_KEYS = frozenset(doc_name.value for doc_name in SHARED_DOCS)

# The deleted notes of an update: read at once, or being read in a thread.
Captured = list[DeletedNote] | asyncio.Future[list[DeletedNote]]


class Archive(Protocol):
    """Where deleted notes and versions are stored (the database, in the server)."""

    # A board that changes gets a version at least this often (seconds).
    history_interval_s: float

    def keep_deleted(self, board_id: str, notes: Sequence[DeletedNote]) -> asyncio.Future[None]:
        """Resolves once stored, or once given up (logged): never raises."""

    def keep_version(self, board_id: str, version: NewVersion) -> asyncio.Future[int]:
        """Resolves to the version's id once stored."""


def _now_ms() -> float:
    return time.time() * 1000


class RoomArchivist:
    """One room's keeper: sees each accepted change of the shared documents before and after."""

    def __init__(
        self, board_id: str, archive: Archive, docs: Callable[[DocName], Doc[Any]]
    ) -> None:
        self._board_id = board_id
        self._archive = archive
        self._docs = docs
        self._last_version_at = time.monotonic()
        self._last_before_delete = -MASS_DELETE_GAP_S
        self._changed_since_version = False
        self._editors: dict[str, None] = {}  # names, in order of first edit
        self._timer: asyncio.TimerHandle | None = None
        self._last: asyncio.Future[int] | None = None  # the version kept at close

    def before_integrate(
        self, doc_key: str, deleted_ids: Collection[str], writer: Member | None
    ) -> Captured:
        """The notes an update deletes (its NoteChanges), read while they are still there."""
        if doc_key != DocName.NOTES.value or not deleted_ids:
            return []
        notes = self._docs(DocName.NOTES)
        deleter = (
            Deleter.server()
            if writer is None
            else Deleter(writer.participant_id, writer.name, writer.role.value)
        )
        zones = read_zones(self._docs(DocName.LAYOUT))
        ids = sorted(deleted_ids)
        state = None
        if len(ids) >= CAPTURE_IN_THREAD_FROM:
            # Read from a copy of the document as it is, in a thread: the loop goes on.
            state = notes.get_update()
            captured: Captured = asyncio.ensure_future(
                asyncio.to_thread(capture_from_state, state, zones, ids, deleter, _now_ms())
            )
        else:
            captured = capture(notes, zones, ids, deleter, _now_ms())
        now = time.monotonic()
        if len(ids) >= MASS_DELETE_NOTES and now - self._last_before_delete >= MASS_DELETE_GAP_S:
            self._last_before_delete = now
            self.keep_version(BEFORE_DELETE, deleter.name, notes_state=state)
        return captured

    def after_apply(
        self,
        doc_key: str,
        writer: Member | None,
        deleted: Captured,
        stored: asyncio.Future[int],
    ) -> asyncio.Future[int]:
        """Note the change for the next version; the future of the update's storage, which
        also waits for its deleted notes to be in the trash."""
        if doc_key in _SHARED_KEYS:
            self._changed(writer)
        if isinstance(deleted, list):
            if not deleted:
                return stored
            return _both(stored, self._archive.keep_deleted(self._board_id, deleted))
        return _both(stored, asyncio.ensure_future(self._keep_when_read(deleted)))

    async def _keep_when_read(self, reading: asyncio.Future[list[DeletedNote]]) -> None:
        try:
            notes = await reading
        except Exception:  # a bug in reading them: said, and the write goes on
            log.exception("board %s: deleted notes could not be read", self._board_id)
            return
        await self._archive.keep_deleted(self._board_id, notes)

    def keep_version(
        self, reason: str, made_by: str | None = None, notes_state: bytes | None = None
    ) -> asyncio.Future[int]:
        """Keep both documents as they are now (`notes_state`: the notes document's full state,
        when already read); the future resolves to the version's id."""
        if made_by is None:
            made_by = ", ".join(list(self._editors)[:_MAX_EDITOR_NAMES])
        version = NewVersion.of(
            self._docs(DocName.LAYOUT),
            self._docs(DocName.NOTES),
            reason,
            made_by,
            _now_ms(),
            notes_state,
        )
        self._changed_since_version = False
        self._editors.clear()
        self._last_version_at = time.monotonic()
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        return self._archive.keep_version(self._board_id, version)

    def close(self) -> None:
        """The room unloads: what changed since the last version is kept as one."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._changed_since_version:
            self._last = self.keep_version(SESSION_END)

    async def closed(self) -> None:
        """Once the version `close` kept is stored (or could not be: logged by the archive)."""
        if self._last is not None:
            await asyncio.wait([self._last])

    def _changed(self, writer: Member | None) -> None:
        self._changed_since_version = True
        if writer is not None and writer.name and len(self._editors) < _MAX_EDITOR_NAMES:
            self._editors[writer.name] = None
        if self._timer is None:
            due = self._last_version_at + self._archive.history_interval_s - time.monotonic()
            self._timer = asyncio.get_running_loop().call_later(max(0.0, due), self._due)

    def _due(self) -> None:
        self._timer = None
        if self._changed_since_version:
            self.keep_version(AUTO)


def _both(stored: asyncio.Future[int], kept: asyncio.Future[None]) -> asyncio.Future[int]:
    """A future settled as `stored` is, once `kept` is done too."""
    both: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    def settle(_: asyncio.Future[Any]) -> None:
        if not (stored.done() and kept.done()) or both.done():
            return
        if stored.cancelled():
            both.cancel()
        elif (error := stored.exception()) is not None:
            both.set_exception(error)
        else:
            both.set_result(stored.result())

    stored.add_done_callback(settle)
    kept.add_done_callback(settle)
    return both
