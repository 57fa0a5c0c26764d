"""A live document with what is known of its stored form: accepted clocks, log size, snapshots.

How a document is compacted decides how it loads: a small one into one snapshot (its whole state,
applied in a few milliseconds); a big one into parts, each a bounded slice of its log merged as it
was (`merge_updates`), so that loading applies one bounded piece at a time and lets the event loop
run between them (`build_doc`), and compacting never encodes the whole document.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pycrdt import Doc

from server.boards.comment_index import CommentIndex
from server.boards.note_tree import NoteTree
from server.boards.records import StoredDoc
from server.boards.update_meta import decode_state_vector

log = logging.getLogger(__name__)

# A document stored in fewer bytes than this is compacted into one snapshot; a bigger one into
# parts of log rows of at most PART_BYTES together (a single bigger row makes a part of its own).
WHOLE_SNAPSHOT_MAX_BYTES = 512 * 1024
PART_BYTES = 256 * 1024
# How long building a document from storage holds the event loop before it lets others run.
_BUILD_SLICE_S = 0.005


async def build_doc(
    board_id: str, doc_key: str, pieces: Sequence[bytes], slice_s: float = _BUILD_SLICE_S
) -> Doc[Any]:
    """A document from its stored pieces (StoredDoc.pieces), letting the event loop run between
    pieces once it has held it `slice_s`: a big board is loaded without holding the server."""
    doc: Doc[Any] = Doc()
    loop = asyncio.get_running_loop()
    started = loop.time()
    for piece in pieces:
        _apply_stored(doc, piece, board_id, doc_key)
        if loop.time() - started >= slice_s:
            await asyncio.sleep(0)
            started = loop.time()
    return doc


def _apply_stored(doc: Doc[Any], data: bytes, board_id: str, doc_key: str) -> None:
    try:
        doc.apply_update(data)
    except (ValueError, RuntimeError):
        # Only validated updates are stored, so this means a damaged database.
        log.exception("board %s %s: a stored update does not apply", board_id, doc_key)


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
    # The size of each of those rows, in the same order.
    own_sizes: list[int] = field(default_factory=list)
    in_flight: int = 0
    in_flight_bytes: int = 0
    submitted_count: int = 0
    submitted_bytes: int = 0
    is_compacting: bool = False
    # Where each item sits, for the documents holding notes (None for the layout).
    tree: NoteTree | None = None
    # How many comments each note has (the judge's per-note limit), made at the first judgement.
    comment_index: CommentIndex | None = None

    @classmethod
    def empty(cls, holds_notes: bool) -> DocState:
        return cls(Doc(), {}, 0, 0, tree=NoteTree() if holds_notes else None)

    @classmethod
    def load(
        cls,
        board_id: str,
        doc_key: str,
        stored: StoredDoc,
        tree: NoteTree | None,
        built: Doc[Any] | None = None,
    ) -> DocState:
        """The document `stored` holds; `built`: made from it already (`build_doc`)."""
        doc: Doc[Any] = Doc() if built is None else built
        if built is None:
            for piece in stored.pieces:
                _apply_stored(doc, piece, board_id, doc_key)
        return cls(
            doc=doc,
            state=decode_state_vector(doc.get_state()),
            stored_bytes=stored.size,
            logged_since_snapshot=len(stored.updates),
            own_ids=list(stored.ids),
            own_sizes=[len(update) for update in stored.updates],
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
        self.own_sizes.append(size)

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
        del self.own_sizes[: len(snapshot.row_ids)]
        self.stored_bytes = (
            len(snapshot.data)
            + snapshot.in_flight_bytes
            + self.submitted_bytes
            - snapshot.submitted_bytes
        )
        self.logged_since_snapshot = (
            snapshot.in_flight + self.submitted_count - snapshot.submitted_count
        )

    @property
    def is_big(self) -> bool:
        """Compacted into parts rather than into one snapshot."""
        return self.stored_bytes > WHOLE_SNAPSHOT_MAX_BYTES

    def take_row_groups(self) -> list[list[int]]:
        """The committed log rows, in consecutive groups of at most PART_BYTES, to be merged into
        parts (`merged`); empty when there are none."""
        groups: list[list[int]] = []
        group: list[int] = []
        group_bytes = 0
        for row_id, size in zip(self.own_ids, self.own_sizes, strict=True):
            if group and group_bytes + size > PART_BYTES:
                groups.append(group)
                group, group_bytes = [], 0
            group.append(row_id)
            group_bytes += size
        if group:
            groups.append(group)
        self.is_compacting = bool(groups)
        return groups

    def merged(self, row_ids: list[int], part_size: int) -> None:
        """Log rows merged into a part of `part_size` bytes (0: not done, the rows stay)."""
        if not part_size:
            return
        gone = set(row_ids)
        kept = [(i, n) for i, n in zip(self.own_ids, self.own_sizes, strict=True) if i not in gone]
        removed_bytes = sum(self.own_sizes) - sum(n for _, n in kept)
        self.own_ids = [i for i, _ in kept]
        self.own_sizes = [n for _, n in kept]
        self.stored_bytes += part_size - removed_bytes
        # Other processes' rows are theirs to compact.
        self.logged_since_snapshot = len(self.own_ids) + self.in_flight


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A document's full state taken at one instant, and what the log held then."""

    data: bytes
    row_ids: list[int]
    in_flight: int
    in_flight_bytes: int
    submitted_count: int
    submitted_bytes: int
