"""A JSON board file read whole (parsed, checked, its pictures re-encoded), for a worker process.

A backup with its pictures is tens of megabytes: parsing it, decoding its base64 and re-encoding
its pictures would hold the event loop for a second or more. Everything here takes bytes and
returns plain, picklable values; a refusal comes back as a value too (FileRefusal), since the
exceptions of file problems do not travel between processes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from server.boards.board_snapshot import BoardSnapshot
from server.boards.export import json_format
from server.boards.file_problems import FileProblem
from server.boards.images import EncodedImage, reencode_many
from server.boards.importing import fits_in_board
from server.boards.trash import DeletedNote


@dataclass(frozen=True, slots=True)
class BoardFileLimits:
    max_notes: int
    max_note_chars: int
    max_trash: int
    max_board_bytes: int
    max_image_bytes: int


@dataclass(frozen=True, slots=True)
class BoardFile:
    board: BoardSnapshot
    trash: list[DeletedNote]
    images: dict[str, EncodedImage]


@dataclass(frozen=True, slots=True)
class FileRefusal:
    """Why the file is refused: a FileProblem's key and values; `not_json` for a body that is
    not JSON at all (400 rather than 422)."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)
    not_json: bool = False

    def problem(self) -> FileProblem:
        return FileProblem(self.key, **self.params)


def read_board_file(raw: bytes, limits: BoardFileLimits) -> BoardFile | FileRefusal:
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return FileRefusal("board.notJson", not_json=True)
    except RecursionError:
        # The json module parses recursively: a board file is a few levels deep, never a thousand.
        return FileRefusal("board.tooDeep")
    try:
        board = json_format.load(data, limits.max_notes, limits.max_note_chars)
        trash = json_format.load_trash(data, limits.max_trash, limits.max_note_chars)
        # What the file holds may weigh somewhat more than what re-encoding keeps.
        found = json_format.load_images(data, 2 * limits.max_image_bytes)
    except json_format.BoardFileError as exc:
        return FileRefusal(exc.key, dict(exc.params))
    if not fits_in_board(list(board.notes), limits.max_board_bytes):
        return FileRefusal("board.tooBig")
    # Decoded and encoded again like any picture sent.
    images, refused = reencode_many(found)
    if refused is not None:
        return FileRefusal("board.badImage", {"where": f"images.{refused}"})
    if sum(len(image.data) for image in images.values()) > limits.max_image_bytes:
        return FileRefusal("board.imagesTooBig", {"max": limits.max_image_bytes})
    return BoardFile(board, trash, images)
