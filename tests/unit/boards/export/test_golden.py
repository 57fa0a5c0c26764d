"""Golden files of every text format; regenerate on purpose with ARDOISE_UPDATE_GOLDEN=1."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from server.boards.board_snapshot import BoardSnapshot
from server.boards.export import csv_export, json_format, markdown, yeswiki
from server.boards.export.model import build_model
from tests.unit.boards.export.boards import (
    EXPORTED_AT,
    PICTURES,
    ROADMAP_VOTES,
    THEMES_VOTES,
    columns_board,
    images_board,
    roadmap,
    roadmap_with_legend,
    roadmap_with_talk,
    themes_board,
    three_columns,
)

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("ARDOISE_UPDATE_GOLDEN") == "1"


def _anonymous_roadmap() -> BoardSnapshot:
    board = roadmap()
    board.anonymous = True
    return board.snapshot()


CASES: dict[str, tuple[Callable[[], BoardSnapshot], dict[str, int] | None]] = {
    "roadmap-votes": (lambda: roadmap().snapshot(), ROADMAP_VOTES),
    "roadmap-anonymous": (_anonymous_roadmap, None),
    "three-columns": (lambda: three_columns().snapshot(), None),
    "columns-en-votes": (lambda: columns_board().snapshot(), {"k1": 3, "k3": 1}),
    "roadmap-legend": (lambda: roadmap_with_legend().snapshot(), None),
    "themes-votes": (lambda: themes_board().snapshot(), THEMES_VOTES),
    "themes": (lambda: themes_board().snapshot(), None),
    "roadmap-talk": (lambda: roadmap_with_talk().snapshot(), None),
    "roadmap-talk-anonymous": (lambda: roadmap_with_talk(anonymous=True).snapshot(), None),
    "images": (lambda: images_board().snapshot(), None),
}
FORMATS: dict[str, tuple[str, Callable[[BoardSnapshot, dict[str, int] | None], bytes]]] = {
    "yeswiki": (
        "txt",
        lambda b, v: yeswiki.render(build_model(b, v, EXPORTED_AT)).encode(),
    ),
    "markdown": ("md", lambda b, v: markdown.render(build_model(b, v, EXPORTED_AT)).encode()),
    "csv": ("csv", lambda b, v: csv_export.render(build_model(b, v, EXPORTED_AT))),
    # The board's pictures are given to every case: only those its notes name are written.
    "json": ("json", lambda b, v: json_format.render(b, v, EXPORTED_AT, images=PICTURES)),
}


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("fmt", FORMATS)
def test_export_matches_its_golden_file(case: str, fmt: str) -> None:
    make, votes = CASES[case]
    extension, render = FORMATS[fmt]
    produced = render(make(), votes)
    path = GOLDEN / f"{case}.{extension}"
    if UPDATE:
        path.write_bytes(produced)
    assert path.exists(), f"{path.name} is missing: run with ARDOISE_UPDATE_GOLDEN=1 once"
    assert produced == path.read_bytes(), f"{path.name} differs (ARDOISE_UPDATE_GOLDEN=1)"


def test_anonymous_exports_name_nobody() -> None:
    board = _anonymous_roadmap()
    model = build_model(board, None, EXPORTED_AT)
    for text in (
        yeswiki.render(model),
        markdown.render(model),
        csv_export.render(model).decode(),
        json_format.render(board, None, EXPORTED_AT).decode(),
    ):
        for name in ("Camille", "Inès", "Léa", "Noé", "Hugo", "id-camille"):
            assert name not in text


def test_votes_appear_only_when_passed() -> None:
    board = roadmap().snapshot()
    hidden = yeswiki.render(build_model(board, None, EXPORTED_AT))
    shown = yeswiki.render(build_model(board, ROADMAP_VOTES, EXPORTED_AT))
    assert "vote" not in hidden and "<strong>5 votes</strong>" in shown and "23 votes" in shown


def test_most_voted_first_then_reading_order() -> None:
    model = build_model(roadmap().snapshot(), {"n2": 4, "n1": 1}, EXPORTED_AT)
    assert [n.id for n in model.notes()][:2] == ["n2", "n1"]
    plain = build_model(roadmap().snapshot(), None, EXPORTED_AT)
    assert [n.id for n in plain.notes()][:2] == ["n1", "n2"]
    assert [n.id for n in plain.notes()][-1] == "n9"  # outside every zone: last


def test_grid_keeps_rows_and_columns_in_template_order() -> None:
    model = build_model(roadmap().snapshot(), None, EXPORTED_AT)
    grid = model.blocks[0]
    assert grid.rows == ("Animation du réseau", "Outils & ressources")
    assert grid.cols == ("1 mois", "6 mois", "1 an", "2 ans", "Idéal")
