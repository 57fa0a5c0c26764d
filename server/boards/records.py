"""A board's plain records: what storage hands the domain and takes from it (no database here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

PRIVATE_PREFIX = "private:"


def private_doc_key(participant_id: str) -> str:
    """The doc key (storage key) of a participant's private document."""
    return PRIVATE_PREFIX + participant_id


@dataclass(frozen=True, slots=True)
class BoardRecord:
    id: str
    title: str
    template: str
    locale: str
    join_code: str
    join_open: bool
    facilitator_token_sha256: str
    participant_token: str
    observer_token: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class StoredDoc:
    """What a document is made of on disk: load = snapshot + its parts + every later update, in
    order (`pieces`)."""

    snapshot: bytes | None
    updates: list[bytes]
    last_id: int
    ids: list[int] = field(default_factory=list)  # log ids of `updates`, in the same order
    # Slices of the log merged by compaction, oldest first (a big document's: see
    # server/boards/doc_state.py).
    parts: list[bytes] = field(default_factory=list)

    @property
    def pieces(self) -> list[bytes]:
        """Everything to apply, in order; each piece is bounded, but an old snapshot."""
        return ([self.snapshot] if self.snapshot else []) + self.parts + self.updates

    @property
    def size(self) -> int:
        return sum(len(piece) for piece in self.pieces)


@dataclass(frozen=True, slots=True)
class StoredBoard:
    """Everything a board's room is loaded from."""

    shared: dict[str, StoredDoc]  # the shared documents, by doc name
    private: dict[str, StoredDoc]  # each participant's private document, by participant id
    votes: dict[str, dict[str, int]]  # participant id -> note id -> votes

    @property
    def size(self) -> int:
        return sum(doc.size for doc in [*self.shared.values(), *self.private.values()])


@dataclass(frozen=True, slots=True)
class PendingUpdate:
    board_id: str
    doc_key: str  # "layout", "notes" or private_doc_key(participant)
    data: bytes


@dataclass(frozen=True, slots=True)
class PendingVote:
    """A participant's count on a note after a change; 0 deletes the row."""

    board_id: str
    participant_id: str
    note_id: str
    count: int


class JoinCodeTaken(Exception):
    """The join code collides with another board's; draw another."""


def utc_now() -> datetime:
    return datetime.now(UTC)
