"""A board file holds what a board can hold: no longer texts than creation and live edits allow."""

from __future__ import annotations

from typing import Any

import pytest

from server.boards.export import json_format
from server.boards.templates.format import MAX_TEXT_CHARS


def board_file(zone: dict[str, Any] | None = None, note: dict[str, Any] | None = None) -> Any:
    return {
        "format": json_format.FILE_KIND,
        "version": json_format.VERSION,
        "board": {
            "title": "Atelier",
            "zones": [{"id": "z1", "title": "Zone", "rect": [0, 0, 100, 100], **(zone or {})}],
            "notes": [{"id": "n1", "text": "idée", "rect": [0, 0, 10, 10], **(note or {})}],
        },
    }


@pytest.mark.parametrize(
    ("zone", "note", "where"),
    [
        ({"title": "t" * (MAX_TEXT_CHARS + 1)}, None, "board.zones[0].title"),
        ({"hint": "h" * (MAX_TEXT_CHARS + 1)}, None, "board.zones[0].hint"),
        ({"row": "r" * (MAX_TEXT_CHARS + 1)}, None, "board.zones[0].row"),
        (None, {"author": "a" * 81}, "board.notes[0].author"),
        (None, {"color": "c" * 81}, "board.notes[0].color"),
    ],
)
def test_texts_longer_than_a_board_holds_are_refused(
    zone: dict[str, Any] | None, note: dict[str, Any] | None, where: str
) -> None:
    with pytest.raises(json_format.BoardFileError) as caught:
        json_format.load(board_file(zone, note), 5000, 2000)
    assert caught.value.key == "board.tooLong"
    assert where in caught.value.text("en")


def test_texts_at_the_limits_restore() -> None:
    board = json_format.load(
        board_file({"title": "t" * MAX_TEXT_CHARS}, {"author": "a" * 80, "text": "x" * 2000}),
        5000,
        2000,
    )
    assert len(board.zones[0].title) == MAX_TEXT_CHARS and len(board.notes[0].text) == 2000


@pytest.mark.parametrize(
    ("note", "key", "where"),
    [
        ({"reactions": {"🤡": ["p1"]}}, "board.badReactions", "board.notes[0].reactions"),
        ({"reactions": {"👍": -1}}, "board.badReactions", "board.notes[0].reactions.👍"),
        ({"reactions": {"👍": ["bad id!"]}}, "board.badId", "board.notes[0].reactions.👍"),
        ({"comments": [{"id": "c1", "text": "x" * 501}]}, "board.tooLong", "comments[0].text"),
        ({"comments": [{"id": "c1", "text": "  "}]}, "board.emptyComment", "comments[0].text"),
        (
            {"comments": [{"id": f"c{i}", "text": "x"} for i in range(51)]},
            "board.tooManyComments",
            "board.notes[0].comments",
        ),
        (
            {"comments": [{"id": "c1", "text": "x"}, {"id": "c1", "text": "y"}]},
            "board.idTwice",
            "comments[1].id",
        ),
    ],
)
def test_reactions_and_comments_beyond_what_a_board_holds_are_refused(
    note: dict[str, Any], key: str, where: str
) -> None:
    with pytest.raises(json_format.BoardFileError) as caught:
        json_format.load(board_file(None, note), 5000, 2000)
    assert caught.value.key == key
    assert where in caught.value.text("en")


def test_reactions_as_ids_or_counts_and_comments_restore() -> None:
    board = json_format.load(
        board_file(
            None,
            {
                "reactions": {"💡": ["p2", "p1"], "👍": 2},
                "comments": [{"id": "c1", "text": "é" * 500, "author": "Inès"}],
            },
        ),
        5000,
        2000,
    )
    (note,) = board.notes
    assert note.reactions == (("👍", ("anonymous-1", "anonymous-2")), ("💡", ("p1", "p2")))
    assert [(c.id, len(c.text), c.author) for c in note.comments] == [("c1", 500, "Inès")]
