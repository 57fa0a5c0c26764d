"""A live document with what is known of its stored form: accepted clocks, log size, snapshots."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from pycrdt import Doc

from server.boards.note_tree import NoteTree
from server.boards.records import StoredDoc
from server.boards.update_meta import decode_state_vector

log = logging.getLogger(__name__)


@dataclass(slots=True)
class DocState:
    doc: Doc[Any]
    # The accepted state vector. Updates that would leave anything pending are refused, so this is
    # also the document's own state vector, and `doc.get_update()` misses nothing (docs/findings.md,
    # pycrdt: Pending structs and state vectors).
    state: dict[int, int]
    stored_bytes: int
    logged_since_snapshot: int
    # Log rows whose content this document holds (loaded, or committed by this process): the
    # only rows a compaction may delete.
    own_ids: list[int] = field(default_factory=list)
    in_flight: int = 0
    in_flight_bytes: int = 0
    submitted_count: int = 0
    submitted_bytes: int = 0
    is_compacting: bool = False
    # Where each item sits, for the documents holding notes (None for the layout).
    tree: NoteTree | None = None

    @classmethod
    def empty(cls, holds_notes: bool) -> DocState:
        return cls(Doc(), {}, 0, 0, tree=NoteTree() if holds_notes else None)

    @classmethod
    def load(
        cls, board_id: str, doc_key: str, stored: StoredDoc, tree: NoteTree | None
    ) -> DocState:
        doc: Doc[Any] = Doc()
        size = 0
        for data in ([stored.snapshot] if stored.snapshot else []) + stored.updates:
            size += len(data)
            try:
                doc.apply_update(data)
            except (ValueError, RuntimeError):
                # Only validated updates are stored, so this means a damaged database.
                log.exception("board %s %s: a stored update does not apply", board_id, doc_key)
        return cls(
            doc=doc,
            state=decode_state_vector(doc.get_state()),
            stored_bytes=size,
            logged_since_snapshot=len(stored.updates),
            own_ids=list(stored.ids),
            tree=tree,
        )

    def submitted(self, size: int) -> None:
        self.in_flight += 1
        self.in_flight_bytes += size
        self.submitted_count += 1
        self.submitted_bytes += size
        self.stored_bytes += size
        self.logged_since_snapshot += 1

    def committed(self, log_id: int, size: int) -> None:
        self.in_flight -= 1
        self.in_flight_bytes -= size
        self.own_ids.append(log_id)

    def abandoned(self, size: int) -> None:
        """An update that could not be stored (its board was deleted meanwhile)."""
        self.in_flight -= 1
        self.in_flight_bytes -= size

    def applied_from_elsewhere(self, size: int) -> None:
        """Another process accepted and stored this update; count it in the board's size."""
        self.stored_bytes += size
        self.logged_since_snapshot += 1

    def take_snapshot(self) -> Snapshot | None:
        """The document now and the last log id it covers; None if that cannot be trusted.

        Every update committed so far was applied before its commit, so it is in the snapshot;
        updates still in flight are in it too and stay in the log (applied twice on load: a no-op).
        """
        data = self.doc.get_update()
        if decode_state_vector(self.doc.get_state()) != self.state:
            # Would mean pending structs that get_update() leaves out: deleting the log would lose
            # them. Keep the log and say so loudly.
            return None
        self.is_compacting = True
        return Snapshot(
            data=data,
            row_ids=list(self.own_ids),
            in_flight=self.in_flight,
            in_flight_bytes=self.in_flight_bytes,
            submitted_count=self.submitted_count,
            submitted_bytes=self.submitted_bytes,
        )

    def compacted(self, snapshot: Snapshot, succeeded: bool) -> None:
        self.is_compacting = False
        if not succeeded:
            return
        # Ids committed during the compaction were appended after the ones it deleted.
        del self.own_ids[: len(snapshot.row_ids)]
        self.stored_bytes = (
            len(snapshot.data)
            + snapshot.in_flight_bytes
            + self.submitted_bytes
            - snapshot.submitted_bytes
        )
        self.logged_since_snapshot = (
            snapshot.in_flight + self.submitted_count - snapshot.submitted_count
        )


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A document's full state taken at one instant, and what the log held then."""

    data: bytes
    row_ids: list[int]
    in_flight: int
    in_flight_bytes: int
    submitted_count: int
    submitted_bytes: int
