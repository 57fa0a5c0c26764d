"""Image notes in a board file (docs/exports.md, JSON): the pictures its notes name travel with
it, in base64, and come back; a file's bad pictures are refused naming where."""

from __future__ import annotations

import base64
import json
import pickle
from typing import Any

import pytest

from server.boards.board_files import BoardFile, BoardFileLimits, FileRefusal, read_board_file
from server.boards.export import json_format
from server.boards.trash import DeletedNote, Deleter
from tests.unit.boards.export.boards import (
    EXPORTED_AT,
    PICTURE_TALL,
    PICTURE_WIDE,
    PICTURES,
    images_board,
    roadmap,
)


def _file(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        json_format.render(images_board().snapshot(), None, EXPORTED_AT, images=PICTURES)
    )
    data.update(changes)
    return data


def test_the_pictures_named_by_notes_go_and_come_back() -> None:
    data = _file()
    board = json_format.load(data, 5000, 2000)
    assert {n.id: n.image_id for n in board.notes} == {
        "p1": PICTURE_WIDE,
        "p2": PICTURE_TALL,
        "p3": "Gone_picture_000000000",
        "t1": "",
    }
    found = json_format.load_images(data, 10**6)
    assert found == {key: image.data for key, image in PICTURES.items()}
    # A board whose notes name no picture carries none, even when the board has some.
    plain = json.loads(json_format.render(roadmap().snapshot(), None, EXPORTED_AT, images=PICTURES))
    assert "images" not in plain
    # A deleted image note keeps its picture in a facilitator's backup.
    gone = DeletedNote(
        "x1", {"text": "", "imageId": PICTURE_WIDE}, Deleter("a", "A", "participant"), 1.0
    )
    with_trash = json.loads(
        json_format.render(roadmap().snapshot(), None, EXPORTED_AT, [gone], images=PICTURES)
    )
    assert set(with_trash["images"]) == {PICTURE_WIDE}


@pytest.mark.parametrize(
    ("images", "key"),
    [
        ({"../etc/passwd": {"data": ""}}, "board.badImageId"),
        ({PICTURE_WIDE: {"data": "not base64 !"}}, "board.badImage"),
        ({PICTURE_WIDE: {"data": 42}}, "board.badImage"),
        ({PICTURE_WIDE: "iVBOR"}, "board.notObject"),
        ([], "board.notObject"),
    ],
)
def test_bad_pictures_in_a_file_are_refused(images: Any, key: str) -> None:
    with pytest.raises(json_format.BoardFileError) as refused:
        json_format.load_images(_file(images=images), 10**6)
    assert refused.value.key == key


def test_a_file_s_pictures_are_bounded_and_a_note_names_a_picture_by_an_image_id() -> None:
    with pytest.raises(json_format.BoardFileError) as refused:
        json_format.load_images(_file(), 100)
    assert refused.value.key == "board.imagesTooBig"
    data = _file()
    data["board"]["notes"][0]["imageId"] = "javascript:alert(1)"
    with pytest.raises(json_format.BoardFileError) as refused:
        json_format.load(data, 5000, 2000)
    assert refused.value.key == "board.badImageId"
    assert "board.notes[0].imageId" in str(refused.value)


def test_a_board_file_is_read_whole_and_its_answer_travels_between_processes() -> None:
    """What the server's worker process returns: the board with its re-encoded pictures, or
    the refusal as a value (the exceptions of file problems do not unpickle)."""
    limits = BoardFileLimits(5000, 2000, 5000, 32 * 1024 * 1024, 10**6)
    read = read_board_file(json.dumps(_file()).encode(), limits)
    assert isinstance(read, BoardFile)
    copied = pickle.loads(pickle.dumps(read))
    assert set(copied.images) == set(PICTURES)
    assert all(image.media_type == "image/jpeg" for image in copied.images.values())
    for raw, key in (
        (b"not json", "board.notJson"),
        (json.dumps(_file(images={PICTURE_WIDE: {"data": "%%%"}})).encode(), "board.badImage"),
        (json.dumps(_file(version=9)).encode(), "board.badVersion"),
    ):
        refused = pickle.loads(pickle.dumps(read_board_file(raw, limits)))
        assert isinstance(refused, FileRefusal) and refused.key == key
        assert refused.problem().text("fr")
    svg = base64.b64encode(b"<svg><script>alert(1)</script></svg>").decode()
    refused = read_board_file(
        json.dumps(_file(images={PICTURE_WIDE: {"data": svg}})).encode(), limits
    )
    assert isinstance(refused, FileRefusal)
    assert (refused.key, refused.params) == ("board.badImage", {"where": f"images.{PICTURE_WIDE}"})
