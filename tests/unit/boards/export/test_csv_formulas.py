"""CSV export: no cell of any column is run as a formula by a spreadsheet (CSV injection)."""

from __future__ import annotations

import csv
import io

import pytest

from server.boards.export import csv_export, csv_import
from server.boards.export.model import build_model
from tests.unit.boards.export.boards import EXPORTED_AT, BoardBuilder

RUN_AS_FORMULA = frozenset("=+-@\t\r")
FORMULAS = ['=HYPERLINK("http://evil.example";"x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "'quoted"]


def _cells(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8").removeprefix(csv_export.BOM)
    return list(csv.reader(io.StringIO(text), delimiter=csv_export.DELIMITER))


@pytest.mark.parametrize("formula", FORMULAS)
def test_every_text_column_is_protected(formula: str) -> None:
    board = (
        BoardBuilder("Atelier")
        .zone("z1", formula, [0, 0, 400, 400], row=formula, col=formula)
        .note("n1", formula, 10, 10, color=formula, author=formula)
    )
    data = csv_export.render(build_model(board.snapshot(), {"n1": 2}, EXPORTED_AT))
    header, row = _cells(data)
    # Zone, row, column, text, colour, author: no cell starts as a formula would, each one that
    # holds the formula (texts are cleaned of tabs first) carries the apostrophe before it.
    for cell in header + row:
        assert cell[:1] not in RUN_AS_FORMULA, row
    assert "'" + formula in row[:6]
    assert row[4] == "'" + formula  # the colour, kept as the client wrote it
    assert row[6] == "2"


def test_the_colour_column_round_trips_through_the_import() -> None:
    board = BoardBuilder("Atelier").note("n1", "idée", 10, 10, color="=HYPERLINK(1)")
    data = csv_export.render(build_model(board.snapshot(), None, EXPORTED_AT))
    assert "'=HYPERLINK(1)" in data.decode("utf-8")
    [row] = csv_import.parse(data)
    assert row.color == "=HYPERLINK(1)"


def test_numbers_and_dates_are_unchanged() -> None:
    board = BoardBuilder("Atelier").note("n1", "idée", 10, 10)
    [header, row] = _cells(csv_export.render(build_model(board.snapshot(), {"n1": 3}, EXPORTED_AT)))
    assert row[header.index("votes")] == "3"
    assert row[header.index("créé le (UTC)")][:1].isdigit()
