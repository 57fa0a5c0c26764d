"""BoardRoom: one board's documents, members, presence and votes, and the path every change takes.

validate -> apply -> relay to the others -> persist -> ack. Transport and storage are injected
(`Outbox`, `Persister`), so this module knows neither Socket.IO nor the database.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol

from pycrdt import Doc, Map, Text, get_update

from server.boards.admission import adds_nothing, integrate, overlaps
from server.boards.archive import Archive, RoomArchivist
from server.boards.bus import Bus, BusKind, BusMessage
from server.boards.comment_index import CommentIndex
from server.boards.doc_state import DocState, Snapshot, build_doc
from server.boards.legend import judge_legend
from server.boards.note_changes import NoteChanges, NoteLimits, Writer, judge
from server.boards.note_tree import GROUPS_ROOT, NoteTree
from server.boards.notes_view import DocNotes
from server.boards.plain import plain_map
from server.boards.presence import PresenceTable, encode_presence, parse_presence
from server.boards.records import PendingVote, StoredBoard, StoredDoc, private_doc_key
from server.boards.update_items import read_items
from server.boards.update_meta import (
    MalformedUpdate,
    decode_state_vector,
    missing_dependency,
    parse_update,
)
from server.boards.votes import VoteBox, VotingSettings
from server.errors import ArdoiseError
from server.protocol import (
    SHARED_DOCS,
    DocName,
    ErrorCode,
    Event,
    Role,
    encode_awareness,
    encode_step1,
    encode_step2,
    encode_update,
)
from server.settings import Limits

log = logging.getLogger(__name__)

__all__ = ["BoardRoom", "Member", "Outbox", "Persister", "Snapshot"]


class Outbox(Protocol):
    """Ordered delivery to a board's connections; enqueueing never waits.

    Document updates and presence are handed over as they are (not framed), so that the outbox
    can merge what gathers and frame each message once for every recipient.
    """

    def update(self, doc_name: str, update: bytes, exclude: str | None) -> None:
        """A document update for every member but `exclude` (its sender)."""

    def presence(self, payload: bytes, exclude: str | None) -> None:
        """An awareness update (on `notes`) for every member but `exclude`."""

    def to_member(self, sid: str, event: str, args: tuple[Any, ...]) -> None:
        """One event for one member, after everything queued before it."""

    def close(self) -> None: ...


class Persister(Protocol):
    """Durable storage, knowing boards by id only; each future resolves once committed."""

    # Logged updates after which a document is snapshotted and its log replaced.
    compact_after_updates: int

    @property
    def failure(self) -> str | None:
        """Why storage is known to be failing, or None: while it is, no write is accepted."""

    async def durable(self, stored: asyncio.Future[int]) -> int:
        """`stored`'s result, or ArdoiseError `unavailable` as soon as storage is failing."""

    def persist(self, board_id: str, doc_key: str, update: bytes) -> asyncio.Future[int]:
        """Resolves to the update's log id."""

    def persist_vote(self, vote: PendingVote) -> asyncio.Future[int]: ...

    def compact(
        self, board_id: str, doc_key: str, snapshot: bytes, row_ids: list[int], merge: bool
    ) -> asyncio.Future[bool]:
        """Replace the log rows `row_ids` by `snapshot`; resolves to whether it was done."""

    def compact_rows(self, board_id: str, doc_key: str, row_ids: list[int]) -> asyncio.Future[int]:
        """Merge the log rows `row_ids` into one snapshot part; resolves to its size (0: not
        done)."""


@dataclass(slots=True)
class Member:
    """A connection to the board, as the room sees it."""

    sid: str
    role: Role
    participant_id: str
    name: str
    presence_ids: set[int] = field(default_factory=set)
    # Set once the client syncs its private document (an extension a v1 client never asks for).
    has_private_sync: bool = False

    @property
    def may_write_private(self) -> bool:
        return self.role is not Role.OBSERVER


# The owner recorded for presence states that arrived from other processes.
_ELSEWHERE = "elsewhere"


# How often a timer's lock is tried again while storage fails.
_LOCK_RETRY_S = 2.0


def _now_ms() -> float:
    return time.time() * 1000


def _shared_doc(states: dict[str, DocState], doc_name: DocName) -> Doc[Any]:
    return states[doc_name.value].doc


_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")
_MAX_NAME_CHARS = 80


_SHARED_DOC_KEYS = frozenset(doc_name.value for doc_name in SHARED_DOCS)


def _note_count(doc: Doc[Any]) -> int:
    return len(doc.get("notes", type=Map))


def _judge_layout(doc: Doc[Any], update: bytes) -> None:
    """Refuse a facilitator's layout write that would leave `meta.legend` misshapen. Tried on a
    copy: the layout is a few kilobytes, written by facilitators only, now and then."""
    trial: Doc[Any] = Doc()
    trial.apply_update(doc.get_update())
    before = plain_map(trial.get("meta", type=Map)).get("legend")
    trial.apply_update(update)
    judge_legend(before, plain_map(trial.get("meta", type=Map)).get("legend"))


def _display_name(raw: str) -> str:
    return _CONTROL_CHARS.sub("", raw).strip()[:_MAX_NAME_CHARS]


def _doc_deletes(doc: Doc[Any]) -> dict[int, list[tuple[int, int]]]:
    """The document's own delete set, as (start, end) ranges."""
    deletes = parse_update(doc.get_update(doc.get_state())).deletes
    return {c: [(clock, clock + n) for clock, n in ranges] for c, ranges in deletes.items()}


def note_trees(shared: dict[str, StoredDoc], private: dict[str, StoredDoc]) -> dict[str, NoteTree]:
    """Where the items of a board's notes documents sit, read from what is stored.

    Pure Python over the stored bytes: the registry runs it in a thread, beside the event loop.
    """
    stored = {DocName.NOTES.value: shared[DocName.NOTES.value]}
    stored.update({private_doc_key(pid): doc for pid, doc in private.items()})
    return {doc_key: NoteTree.from_updates(doc.pieces) for doc_key, doc in stored.items()}


def board_note_trees(stored: StoredBoard) -> dict[str, NoteTree]:
    return note_trees(stored.shared, stored.private)


async def build_docs(board_id: str, stored: StoredBoard) -> dict[str, Doc[Any]]:
    """Every document of a stored board by doc key, built a bounded piece at a time
    (`build_doc`): the room is then made without applying anything."""
    built = {
        doc_key: await build_doc(board_id, doc_key, doc.pieces)
        for doc_key, doc in stored.shared.items()
    }
    for participant_id, doc in stored.private.items():
        doc_key = private_doc_key(participant_id)
        built[doc_key] = await build_doc(board_id, doc_key, doc.pieces)
    return built


class BoardRoom:
    def __init__(
        self,
        board_id: str,
        shared: dict[str, StoredDoc],
        outbox: Outbox,
        persister: Persister,
        limits: Limits,
        private: dict[str, StoredDoc] | None = None,
        votes: dict[str, dict[str, int]] | None = None,
        bus: Bus | None = None,
        trees: dict[str, NoteTree] | None = None,
        archive: Archive | None = None,
        built: dict[str, Doc[Any]] | None = None,
    ) -> None:
        """`built`: documents made from `shared` and `private` already (`build_docs`), by doc
        key; the others are made here."""
        self.board_id = board_id
        self._bus = bus
        self.limits = limits
        self.note_limits = NoteLimits(
            max_notes=limits.max_notes, max_note_chars=limits.max_note_chars
        )
        trees = trees if trees is not None else note_trees(shared, private or {})
        self.members: dict[str, Member] = {}
        self._outbox = outbox
        self._persister = persister
        # Every live document, by doc key.
        self._states: dict[str, DocState] = {
            doc_name.value: DocState.load(
                board_id,
                doc_name.value,
                shared[doc_name.value],
                trees.get(doc_name.value),
                (built or {}).get(doc_name.value),
            )
            for doc_name in SHARED_DOCS
        }
        for participant_id, stored_private in (private or {}).items():
            doc_key = private_doc_key(participant_id)
            self._states[doc_key] = DocState.load(
                board_id, doc_key, stored_private, trees.get(doc_key), (built or {}).get(doc_key)
            )
        # Notes in each private document (by doc key): facilitators are told the total, never
        # whose they are nor what they say (docs/protocol.md section 7.2).
        self._private_counts: dict[str, int] = {
            doc_key: _note_count(state.doc)
            for doc_key, state in self._states.items()
            if doc_key not in _SHARED_DOC_KEYS
        }
        self._presence = PresenceTable()
        self._in_flight = 0
        # Per document, the last accepted update not stored yet: a resend waits for it.
        self._unstored: dict[str, asyncio.Future[int]] = {}
        self._flushed = asyncio.Event()
        self._flushed.set()
        self.votes = VoteBox(votes)
        self.voting = VotingSettings()
        self.is_locked = False
        # The lock's grace: the notes each participant was writing when the board was locked
        # (their presence's `editing`), and until when (time.monotonic()).
        self._grace: dict[str, frozenset[str]] = {}
        self._grace_until = 0.0
        self.is_private_writing = False
        self.participants_change_any_note = False
        self._timer: asyncio.TimerHandle | None = None
        # Deleted notes to the trash, versions to the history (nothing archived without one).
        # Given the documents, not the room: no reference cycle, so an unloaded room's memory is
        # freed at once rather than at the next full collection.
        self._archivist = (
            None
            if archive is None
            else RoomArchivist(board_id, archive, partial(_shared_doc, self._states))
        )
        self._refresh_meta(initial=True)

    # ---- membership -------------------------------------------------------------------------

    def join(self, member: Member, welcome: dict[str, Any]) -> None:
        """Admit a member: welcome, the server's sync step 1 of each document, the votes.

        Queued in one go, before any later relay, so the member sees them first.
        """
        self.members[member.sid] = member
        self._outbox.to_member(member.sid, Event.WELCOME, (welcome,))
        for doc_name in SHARED_DOCS:
            frame = encode_step1(self._states[doc_name.value].doc.get_state())
            self._outbox.to_member(member.sid, Event.Y, (doc_name.value, frame))
        if self.voting.state != "off":
            # A late joiner learns its budget; with voting off there is nothing to tell.
            self._send_votes(only=[member])
        if self.is_private_writing:
            self._send_private_count(only=[member])

    def leave(self, sid: str) -> None:
        member = self.members.pop(sid, None)
        if member is None or not member.presence_ids:
            return
        removed = encode_presence(self._presence.remove(member.presence_ids))
        self._outbox.presence(removed, None)
        self._publish(BusMessage(BusKind.PRESENCE, data=removed))

    @property
    def is_empty(self) -> bool:
        return not self.members

    # ---- documents --------------------------------------------------------------------------

    def _doc_key(self, doc_name: DocName, member: Member | None) -> str:
        if doc_name is not DocName.PRIVATE:
            return doc_name.value
        if member is None or not member.may_write_private:
            raise ArdoiseError(ErrorCode.FORBIDDEN, "observers have no private notes")
        return private_doc_key(member.participant_id)

    def _state(self, doc_key: str) -> DocState:
        state = self._states.get(doc_key)
        if state is None:
            state = self._states[doc_key] = DocState.empty(holds_notes=True)
        return state

    def answer_step1(self, member: Member, doc_name: DocName, state_vector: bytes) -> None:
        """Send what the member lacks; after the notes document, who is here (handshake step 3)."""
        try:
            decode_state_vector(state_vector)
        except MalformedUpdate as exc:
            raise ArdoiseError(ErrorCode.MALFORMED, f"bad state vector: {exc}") from exc
        state = self._state(self._doc_key(doc_name, member))
        frame = encode_step2(state.doc.get_update(state_vector))
        self._outbox.to_member(member.sid, Event.Y, (doc_name.value, frame))
        if doc_name is DocName.PRIVATE:
            member.has_private_sync = True
            # The client needs the server's state vector too, to send what it wrote offline.
            self._outbox.to_member(
                member.sid, Event.Y, (doc_name.value, encode_step1(state.doc.get_state()))
            )
        present = self._presence.all()
        if doc_name is DocName.NOTES and present:
            payload = encode_presence(present)
            self._outbox.to_member(member.sid, Event.Y, (doc_name.value, encode_awareness(payload)))

    def apply(
        self, doc_name: DocName, update: bytes, writer: Member | None
    ) -> asyncio.Future[int] | None:
        """Validate, apply, relay and queue an update for storage.

        Returns the future of its durable storage. An update that adds nothing is not stored: the
        future is then that of the document's last update not stored yet (a resend is
        acknowledged only once durable), or None. Raises ArdoiseError, having changed nothing,
        when it is refused (`unavailable` while storage fails). `writer` None is the server
        itself (templates, API calls), which may write the shared documents.
        """
        return self._apply(self._doc_key(doc_name, writer), doc_name, update, writer)

    def _apply(
        self, doc_key: str, doc_name: DocName, update: bytes, writer: Member | None
    ) -> asyncio.Future[int] | None:
        if len(update) > self.limits.max_message_bytes:
            raise ArdoiseError(
                ErrorCode.PAYLOAD_TOO_LARGE,
                f"update of {len(update)} bytes is over {self.limits.max_message_bytes}",
            )
        try:
            meta = parse_update(update)
        except MalformedUpdate as exc:
            raise ArdoiseError(ErrorCode.MALFORMED, f"cannot decode update: {exc}") from exc
        state = self._state(doc_key)
        refusal = self._write_refusal(doc_name, writer)
        grace: frozenset[str] | None = None
        if refusal is not None:
            # A reader's handshake step 2 repeats what the board has; that is no write.
            if adds_nothing(state, meta):
                return None
            grace = self._grace_notes(refusal, writer)
            if grace is None:
                raise refusal
        if adds_nothing(state, meta):
            return self._unstored.get(doc_key)
        # Before the dependencies: a client's later writes build on the ones refused meanwhile.
        self._refuse_while_storage_fails()
        reason = missing_dependency(meta, state.state)
        if reason is not None:
            raise ArdoiseError(
                ErrorCode.OUT_OF_SYNC,
                f"update builds on changes the board never accepted ({reason}); resync",
            )
        overlaps_known = overlaps(state, meta)
        if overlaps_known:
            # Store and relay only what is new (a reconnecting client may resend some).
            update = get_update(update, state.doc.get_state())
        if self.stored_bytes + len(update) > self.limits.max_board_bytes:
            raise ArdoiseError(
                ErrorCode.INVALID, f"the board would exceed {self.limits.max_board_bytes} bytes"
            )
        changes = self._judge(state, doc_name, update, writer, grace)
        if doc_name is DocName.LAYOUT and writer is not None:
            _judge_layout(state.doc, update)
        deleted = (
            []
            if self._archivist is None or changes is None
            else self._archivist.before_integrate(doc_key, changes.deleted, writer)
        )
        integrate(state, update, meta, trust_meta=not overlaps_known)
        if changes is not None and state.tree is not None:
            state.tree.record(changes.placed)
        self._relay(doc_key, doc_name, update, writer)
        if doc_name is DocName.PRIVATE:
            self._recount_private(doc_key)
        self._publish(BusMessage(BusKind.UPDATE, doc_key=doc_key, data=update))
        state.submitted(len(update))
        self._in_flight += 1
        self._flushed.clear()
        stored = self._persister.persist(self.board_id, doc_key, update)
        if stored.done():
            # Committed on the spot: the room knows it in this same turn.
            self._on_stored(doc_key, len(update), stored)
        else:
            self._unstored[doc_key] = stored
            stored.add_done_callback(partial(self._on_stored, doc_key, len(update)))
        if doc_name is DocName.LAYOUT:
            self._refresh_meta()
        if self._archivist is not None:
            stored = self._archivist.after_apply(doc_key, writer, deleted, stored)
        return stored

    def _judge(
        self,
        state: DocState,
        doc_name: DocName,
        update: bytes,
        writer: Member | None,
        grace: frozenset[str] | None = None,
    ) -> NoteChanges | None:
        """What the update does to the notes, refused (ArdoiseError) when the writer may not.

        `grace`: the board is locked for this writer, who may change the text of these notes only.
        """
        if state.tree is None:
            return None
        try:
            items = read_items(update)
        except MalformedUpdate as exc:
            raise ArdoiseError(ErrorCode.MALFORMED, f"cannot decode update: {exc}") from exc
        if state.comment_index is None:
            state.comment_index = CommentIndex.of(state.doc)
        return judge(
            state.tree,
            items,
            DocNotes(state.doc, state.comment_index),
            self._note_writer(doc_name, writer, grace),
            self.note_limits,
            partial(_doc_deletes, state.doc),
        )

    def _note_writer(
        self, doc_name: DocName, writer: Member | None, grace: frozenset[str] | None
    ) -> Writer | None:
        if writer is None:
            return None
        may_change_any = (
            doc_name is DocName.PRIVATE
            or writer.role is Role.FACILITATOR
            or self.participants_change_any_note
        )
        return Writer(
            writer.participant_id,
            may_change_any,
            may_group=doc_name is not DocName.PRIVATE,
            is_facilitator=writer.role is Role.FACILITATOR,
            text_only=grace,
        )

    def _grace_notes(self, refusal: ArdoiseError, writer: Member | None) -> frozenset[str] | None:
        """The notes whose text a refused writer may still change: during the lock's grace, those
        they were writing when the board was locked; None when the refusal stands."""
        if refusal.code is not ErrorCode.BOARD_LOCKED or writer is None:
            return None
        if time.monotonic() >= self._grace_until:
            return None
        return self._grace.get(writer.participant_id)

    def _start_lock_grace(self) -> None:
        """The board was just locked: whoever was writing a note may finish its text."""
        grace: dict[str, frozenset[str]] = {}
        for member in self.members.values():
            if member.role is not Role.PARTICIPANT:
                continue
            editing = self._presence.editing(member.presence_ids)
            if editing:
                grace[member.participant_id] = (
                    grace.get(member.participant_id, frozenset()) | editing
                )
        self._grace = grace
        self._grace_until = time.monotonic() + self.limits.lock_grace_s

    def _relay(self, doc_key: str, doc_name: DocName, update: bytes, writer: Member | None) -> None:
        exclude = writer.sid if writer else None
        if doc_name is not DocName.PRIVATE:
            self._outbox.update(doc_name.value, update, exclude)
            return
        # A private document only ever reaches its author's own connections (other tabs).
        frame = encode_update(update)
        for member in self.members.values():
            if (
                member.has_private_sync
                and member.sid != exclude
                and private_doc_key(member.participant_id) == doc_key
            ):
                self._outbox.to_member(member.sid, Event.Y, (doc_name.value, frame))

    def _write_refusal(self, doc_name: DocName, writer: Member | None) -> ArdoiseError | None:
        if writer is None:
            return None
        if writer.role is Role.OBSERVER:
            return ArdoiseError(ErrorCode.FORBIDDEN, "observers cannot change the board")
        if doc_name is DocName.PRIVATE and not self.is_private_writing:
            return ArdoiseError(ErrorCode.FORBIDDEN, "private writing is not on")
        if writer.role is Role.FACILITATOR:
            return None
        if doc_name is DocName.LAYOUT:
            return ArdoiseError(ErrorCode.FORBIDDEN, "only facilitators can change the layout")
        if self.is_locked:
            return ArdoiseError(ErrorCode.BOARD_LOCKED, "the board is locked by the facilitator")
        return None

    def _refuse_while_storage_fails(self) -> None:
        """Nothing is applied (nor relayed) that could only be kept in memory."""
        failure = self._persister.failure
        if failure is not None:
            raise ArdoiseError(
                ErrorCode.UNAVAILABLE,
                f"the server cannot store changes now ({failure}): not applied; try again later",
            )

    async def durable(self, stored: asyncio.Future[int]) -> int:
        """Wait for an accepted change to be stored; `unavailable` once storage is failing."""
        return await self._persister.durable(stored)

    def _on_stored(self, doc_key: str, size: int, stored: asyncio.Future[int]) -> None:
        """An update's storage ended: committed (with its log id), or impossible (board gone)."""
        if self._unstored.get(doc_key) is stored:
            del self._unstored[doc_key]
        state = self._states[doc_key]
        if stored.cancelled() or stored.exception() is not None:
            state.abandoned(size)
        else:
            state.committed(stored.result(), size)
        self._in_flight -= 1
        if self._in_flight == 0:
            self._flushed.set()
        if self.needs_compaction(doc_key, self._persister.compact_after_updates):
            self._compact(doc_key)

    async def flushed(self) -> None:
        """Wait until every accepted update is committed."""
        await self._flushed.wait()

    @property
    def is_flushed(self) -> bool:
        return self._flushed.is_set()

    @property
    def stored_bytes(self) -> int:
        return sum(state.stored_bytes for state in self._states.values())

    # ---- compaction ------------------------------------------------------------------------

    def compact_due_documents(self) -> None:
        """Compact every document whose log is long (a board loaded after a long workshop)."""
        for doc_key in list(self._states):
            if self.needs_compaction(doc_key, self._persister.compact_after_updates):
                self._compact(doc_key)

    def _compact(self, doc_key: str) -> None:
        """Snapshot the document now, in this turn, and have its log replaced by it; a big
        document's log is merged into parts instead (server/boards/doc_state.py)."""
        if self._states[doc_key].is_big:
            self._merge_log(doc_key)
            return
        snapshot = self.take_snapshot(doc_key)
        if snapshot is None:
            return
        done = self._persister.compact(
            self.board_id, doc_key, snapshot.data, snapshot.row_ids, merge=self.is_shared
        )

        def compacted(done: asyncio.Future[bool]) -> None:
            self.on_compacted(doc_key, snapshot, succeeded=not done.cancelled() and done.result())

        done.add_done_callback(compacted)

    def _merge_log(self, doc_key: str) -> None:
        state = self._states[doc_key]
        groups = state.take_row_groups()
        left = [len(groups)]

        def merged(row_ids: list[int], done: asyncio.Future[int]) -> None:
            size = 0 if done.cancelled() or done.exception() is not None else done.result()
            state.merged(row_ids, size)
            left[0] -= 1
            if not left[0]:
                state.is_compacting = False

        for row_ids in groups:
            done = self._persister.compact_rows(self.board_id, doc_key, row_ids)
            done.add_done_callback(partial(merged, row_ids))

    def needs_compaction(self, doc_key: str, threshold: int) -> bool:
        state = self._states[doc_key]
        return not state.is_compacting and state.logged_since_snapshot >= threshold

    def take_snapshot(self, doc_key: str) -> Snapshot | None:
        snapshot = self._states[doc_key].take_snapshot()
        if snapshot is None:
            log.error("board %s %s: state differs from accepted updates", self.board_id, doc_key)
        return snapshot

    def on_compacted(self, doc_key: str, snapshot: Snapshot, succeeded: bool) -> None:
        self._states[doc_key].compacted(snapshot, succeeded)

    # ---- votes ------------------------------------------------------------------------------

    def note_ids(self) -> set[str]:
        return set(self.doc(DocName.NOTES).get("notes", type=Map).keys())

    def votable_ids(self) -> set[str]:
        """Notes and groups: a group is voted on as a whole, under its own id."""
        notes_doc = self.doc(DocName.NOTES)
        return self.note_ids() | set(notes_doc.get(GROUPS_ROOT, type=Map).keys())

    def cast_vote(
        self, member: Member, note_id: str, delta: int
    ) -> tuple[int, asyncio.Future[int]]:
        """Apply a vote, tell who may know, queue it for storage; returns what is left to spend."""
        if member.role is Role.OBSERVER:
            raise ArdoiseError(ErrorCode.FORBIDDEN, "observers do not vote")
        self._refuse_while_storage_fails()
        notes = self.votable_ids()
        count = self.votes.cast(member.participant_id, note_id, delta, self.voting, notes)
        stored = self._persister.persist_vote(
            PendingVote(self.board_id, member.participant_id, note_id, count)
        )
        self._send_votes(voter=member.participant_id, notes=notes)
        self._publish(
            BusMessage(
                BusKind.VOTE, participant_id=member.participant_id, note_id=note_id, count=count
            )
        )
        return self.votes.remaining(member.participant_id, self.voting.budget, notes), stored

    def votes_visible_to(self, role: Role) -> dict[str, int] | None:
        if not self.voting.tallies_visible_to(role):
            return None
        return self.votes.tallies(self.votable_ids())

    def _send_votes(
        self,
        only: list[Member] | None = None,
        voter: str | None = None,
        notes: set[str] | None = None,
    ) -> None:
        """Send `votes` to whoever has something new to learn, and nothing they may not see."""
        notes = self.votable_ids() if notes is None else notes
        tallies = self.votes.tallies(notes)
        for member in only if only is not None else list(self.members.values()):
            visible = self.voting.tallies_visible_to(member.role)
            if voter is not None and member.participant_id != voter and not visible:
                continue
            payload = self.votes.payload(
                member.participant_id, self.voting, notes, tallies if visible else None
            )
            self._outbox.to_member(member.sid, Event.VOTES, (payload,))

    # ---- presence ---------------------------------------------------------------------------

    def apply_presence(self, member: Member, payload: bytes) -> None:
        """Record and relay a presence (awareness) update; never stored.

        `participantId` and `role` in a state, when present, must be the member's own: clients
        follow the facilitator's viewport by them, so nobody may pose as another.
        """
        entries = parse_presence(payload, self.limits.max_presence_bytes)
        self._presence.check_owner(member.sid, entries)
        for entry in entries:
            value = entry.value or {}
            if value.get("participantId", member.participant_id) != member.participant_id:
                raise ArdoiseError(ErrorCode.FORBIDDEN, "presence names another participant")
            if value.get("role", member.role.value) != member.role.value:
                raise ArdoiseError(ErrorCode.FORBIDDEN, "presence claims another role")
        # A name given after connecting (the web client asks once the board is open) is the one
        # the trash and the history show for this person's changes.
        for entry in entries:
            name = (entry.value or {}).get("name")
            if isinstance(name, str) and (shown := _display_name(name)):
                member.name = shown
        added, removed = self._presence.record(member.sid, entries)
        member.presence_ids = (member.presence_ids | added) - removed
        self._publish(BusMessage(BusKind.PRESENCE, data=payload))
        self._outbox.presence(payload, member.sid)

    # ---- reading and server edits -----------------------------------------------------------

    def doc(self, doc_name: DocName) -> Doc[Any]:
        """A shared live document, for reading only: every write goes through `apply`."""
        return self._states[doc_name.value].doc

    def edit(
        self, doc_name: DocName, change: Callable[[Doc[Any]], None]
    ) -> asyncio.Future[int] | None:
        """A server-side edit (template, API call), taking the same path as a client's."""
        return self._edit(doc_name.value, doc_name, change)

    def _edit(
        self, doc_key: str, doc_name: DocName, change: Callable[[Doc[Any]], None]
    ) -> asyncio.Future[int] | None:
        draft: Doc[Any] = Doc()
        draft.apply_update(self._states[doc_key].doc.get_update())
        before = draft.get_state()
        with draft.transaction():
            change(draft)
        return self._apply(doc_key, doc_name, draft.get_update(before), None)

    def keep_version(self, reason: str, made_by: str) -> asyncio.Future[int] | None:
        """Keep both shared documents as they are now in the history (before a restore or an
        import); the future of its storage, None where nothing is archived."""
        if self._archivist is None:
            return None
        return self._archivist.keep_version(reason, made_by)

    # ---- facilitation: meta changes ---------------------------------------------------------

    def _refresh_meta(self, initial: bool = False, is_origin: bool = True) -> None:
        """React to the facilitator's settings in the layout document.

        Server-side edits in reaction (revealing private notes) are made by the process that
        accepted the change (`is_origin`), not by every process sharing the board.
        """
        layout = self._states[DocName.LAYOUT.value].doc
        meta = plain_map(layout.get("meta", type=Map))
        was_locked = self.is_locked
        self.is_locked = meta.get("locked") is True
        if self.is_locked and not was_locked and not initial:
            self._start_lock_grace()
        elif not self.is_locked:
            self._grace = {}
        self.participants_change_any_note = meta.get("editOthersNotes") is True
        voting = VotingSettings.from_meta(meta.get("voting"))
        if voting != self.voting:
            self.voting = voting
            if not initial:
                self._send_votes()
        was_private = self.is_private_writing
        self.is_private_writing = meta.get("privateWriting") is True
        if not self.is_private_writing and (was_private or initial) and is_origin:
            self._reveal_private_notes()
        if self.is_private_writing and not was_private and not initial:
            self._send_private_count()
        self._schedule_timer_lock(plain_map(layout.get("timer", type=Map)))

    def _recount_private(self, doc_key: str) -> None:
        """A private document changed: facilitators hear the new total if it moved."""
        count = _note_count(self._states[doc_key].doc)
        if self._private_counts.get(doc_key) == count:
            return  # typing in a note changes no count: nothing is sent per keystroke
        self._private_counts[doc_key] = count
        if self.is_private_writing:
            self._send_private_count()

    def _send_private_count(self, only: list[Member] | None = None) -> None:
        """How many private notes exist on the board, to facilitators only: a number, nothing
        that tells whose notes they are (docs/protocol.md section 7.2)."""
        payload = {"notes": sum(self._private_counts.values())}
        for member in only if only is not None else list(self.members.values()):
            if member.role is Role.FACILITATOR:
                self._outbox.to_member(member.sid, Event.PRIVATE_COUNT, (payload,))

    def _reveal_private_notes(self) -> None:
        """End of a private writing phase: every private note joins the shared board."""
        revealed: dict[str, dict[str, Any]] = {}
        private_doc_keys = [k for k in self._states if k not in (d.value for d in SHARED_DOCS)]
        for doc_key in private_doc_keys:
            notes = plain_map(self._states[doc_key].doc.get("notes", type=Map))
            revealed.update({i: n for i, n in notes.items() if isinstance(n, dict)})
        if not revealed:
            return

        def add_to_board(doc: Doc[Any]) -> None:
            shared = doc.get("notes", type=Map)
            for note_id, note in revealed.items():
                fields = {k: v for k, v in note.items() if k != "text"}
                shared[note_id] = Map({**fields, "text": Text(str(note.get("text", "")))})

        self.edit(DocName.NOTES, add_to_board)
        for doc_key in private_doc_keys:
            self._edit(doc_key, DocName.PRIVATE, lambda doc: doc.get("notes", type=Map).clear())

    def _schedule_timer_lock(self, timer: dict[str, Any]) -> None:
        """Lock the board when the timer ends, if the facilitator asked for it."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        ends_at = timer.get("endsAt")
        if timer.get("lockOnEnd") is not True or not isinstance(ends_at, int | float):
            return
        delay = max(0.0, (ends_at - _now_ms()) / 1000)
        loop = asyncio.get_running_loop()
        self._timer = loop.call_later(delay, self._timer_ended, ends_at)

    def _timer_ended(self, ends_at: float) -> None:
        self._timer = None
        timer = self.doc(DocName.LAYOUT).get("timer", type=Map)
        if timer.get("endsAt") != ends_at or timer.get("lockOnEnd") is not True:
            return

        def lock(doc: Doc[Any]) -> None:
            doc.get("meta", type=Map)["locked"] = True
            # Done once: unlocking later must not be undone by the same, finished timer.
            doc.get("timer", type=Map)["lockOnEnd"] = False

        try:
            self.edit(DocName.LAYOUT, lock)
        except ArdoiseError:
            # Storage is failing: the board is locked as soon as it can be stored.
            loop = asyncio.get_running_loop()
            self._timer = loop.call_later(_LOCK_RETRY_S, self._timer_ended, ends_at)

    # ---- other processes sharing this board ---------------------------------------------

    @property
    def is_shared(self) -> bool:
        """Other processes may hold this board too (a bus is configured)."""
        return self._bus is not None

    def _publish(self, message: BusMessage) -> None:
        if self._bus is not None:
            self._bus.publish(self.board_id, message)

    def receive(self, message: BusMessage) -> None:
        """A change another process accepted (and stores): apply it here and deliver it."""
        if message.kind is BusKind.UPDATE:
            self._receive_update(message.doc_key, message.data)
        elif message.kind is BusKind.PRESENCE:
            entries = parse_presence(message.data, self.limits.max_presence_bytes)
            self._presence.record(_ELSEWHERE, entries)
            self._outbox.presence(message.data, None)
        else:
            self.votes.set(message.participant_id, message.note_id, message.count)
            self._send_votes(voter=message.participant_id)

    def _receive_update(self, doc_key: str, update: bytes) -> None:
        try:
            meta = parse_update(update)
        except MalformedUpdate:
            log.error("board %s: undecodable update from another process", self.board_id)
            return
        state = self._state(doc_key)
        if adds_nothing(state, meta):
            return
        gap = missing_dependency(meta, state.state)
        if gap is not None:
            # Messages of one process arrive in order, so this should not happen; applied all
            # the same (the change is stored), and the state is read back from the document.
            log.warning(
                "board %s %s: out-of-order update from elsewhere (%s)", self.board_id, doc_key, gap
            )
        try:
            changes = self._judge(state, DocName.NOTES, update, None)
        except ArdoiseError:
            changes = None  # the tree is rebuilt from the document below
        try:
            integrate(state, update, meta, trust_meta=gap is None and not overlaps(state, meta))
        except ArdoiseError:
            log.error(
                "board %s %s: an update from elsewhere does not apply", self.board_id, doc_key
            )
            return
        if state.tree is not None:
            if changes is not None:
                state.tree.record(changes.placed)
            else:
                state.tree = NoteTree.from_updates([state.doc.get_update()])
        state.applied_from_elsewhere(len(update))
        shared = doc_key in (d.value for d in SHARED_DOCS)
        doc_name = DocName(doc_key) if shared else DocName.PRIVATE
        self._relay(doc_key, doc_name, update, None)
        if doc_name is DocName.PRIVATE:
            self._recount_private(doc_key)
        if doc_name is DocName.LAYOUT:
            self._refresh_meta(is_origin=False)

    async def archived(self) -> None:
        """Wait for what `close` handed the archive (the last version) to be stored or given up."""
        if self._archivist is not None:
            await self._archivist.closed()

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        if self._archivist is not None:
            self._archivist.close()
        self._outbox.close()
