"""A board read from what is stored, not from a live room: the JSON view and every export.

Built to run in a worker process for a big board: pycrdt holds the GIL while it applies updates
(docs/findings.md, pycrdt: Cost), so reading a big board in the server process, even in a thread,
would hold every other board's edits back. Everything here takes and returns plain, picklable
values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pycrdt import Doc

from server.boards.board_snapshot import BoardSnapshot, read_board
from server.boards.export.formats import FORMATS
from server.boards.export.model import ExportSource
from server.boards.images import EncodedImage
from server.boards.records import StoredBoard, StoredDoc
from server.boards.trash import DeletedNote
from server.boards.view import board_json
from server.boards.votes import VoteBox
from server.protocol import DocName, Role


@dataclass(frozen=True, slots=True)
class StoredView:
    """A board as stored: its shared documents and its votes."""

    board_id: str
    layout: StoredDoc
    notes: StoredDoc
    votes: dict[str, dict[str, int]]

    @classmethod
    def of(cls, board_id: str, stored: StoredBoard) -> StoredView:
        return cls(
            board_id,
            stored.shared[DocName.LAYOUT.value],
            stored.shared[DocName.NOTES.value],
            stored.votes,
        )

    @property
    def size(self) -> int:
        """Stored bytes: what reading the board costs."""
        return self.layout.size + self.notes.size


def _doc(stored: StoredDoc) -> Doc[Any]:
    doc: Doc[Any] = Doc()
    for data in stored.pieces:
        doc.apply_update(data)
    return doc


def _read(view: StoredView) -> BoardSnapshot:
    return read_board(_doc(view.layout), _doc(view.notes))


def _tallies(view: StoredView, board: BoardSnapshot, role: Role) -> dict[str, int] | None:
    """The tallies `role` may see (as the live room would tell it), else None."""
    if not board.voting.tallies_visible_to(role):
        return None
    votable = {note.id for note in board.notes} | {group.id for group in board.groups}
    return VoteBox(view.votes).tallies(votable)


def json_view(view: StoredView, role: Role) -> dict[str, Any]:
    """GET /api/boards/{id}, for `role`."""
    board = _read(view)
    return board_json(view.board_id, board, role, _tallies(view, board, role))


def export_source(
    view: StoredView,
    moment: datetime,
    trash: tuple[DeletedNote, ...] = (),
    images: Mapping[str, EncodedImage] | None = None,
) -> ExportSource:
    """What an export renders from; tallies only once everyone may see them (an export can be
    made by anyone and published, so it never shows what a participant could not see); `trash`:
    the deleted notes, for a facilitator's backup; `images`: the board's pictures, for the
    formats that draw or carry them."""
    board = _read(view)
    return ExportSource.of(board, _tallies(view, board, Role.OBSERVER), moment, trash, images)


def export(
    view: StoredView,
    format_name: str,
    moment: datetime,
    trash: tuple[DeletedNote, ...] = (),
    images: Mapping[str, EncodedImage] | None = None,
) -> tuple[bytes, str]:
    """The file of one export format, and the board's title (for its file name)."""
    source = export_source(view, moment, trash, images)
    return FORMATS[format_name].render(source), source.board.title
