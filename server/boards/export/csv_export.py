"""CSV of a board's notes, one row each, readable by a French spreadsheet as it opens it."""

from __future__ import annotations

import csv
import io

from server.boards.export.labels import colour_name, comment_text, header_names, reactions_text
from server.boards.export.model import ExportFormat, ExportModel, ExportNote, ExportSource

# French Excel reads a CSV with the list separator of the system's regional settings, which is
# `;` in France (`,` is the decimal mark), and takes UTF-8 only with a byte-order mark.
DELIMITER = ";"
BOM = "\ufeff"
# A cell starting with one of these is run as a formula by spreadsheets (CSV injection);
# a leading apostrophe makes it text. The apostrophe itself is in the set so that the import
# can always remove exactly the one the export added.
FORMULA_STARTS = frozenset("=+-@\t\r'")


def protect(value: str) -> str:
    """A cell value that a spreadsheet shows as text, never evaluates."""
    return "'" + value if value[:1] in FORMULA_STARTS else value


def unprotect(value: str) -> str:
    """The inverse of `protect`."""
    if value[:1] == "'" and value[1:2] in FORMULA_STARTS:
        return value[1:]
    return value


def _row(note: ExportNote, locale: str) -> list[str]:
    created = note.created_at.strftime("%Y-%m-%d %H:%M:%S") if note.created_at else ""
    return [
        note.zone,
        note.row,
        note.col,
        note.text,
        colour_name(locale, note.color),
        note.author or "",
        "" if note.votes is None else str(note.votes),
        reactions_text(note.reactions),
        # One comment a line, in the one cell.
        "\n".join(comment_text(locale, c.text, c.author) for c in note.comments),
        created,
        note.meaning,
        note.group,
    ]


def _protected(cells: list[str]) -> list[str]:
    # One rule for every cell, whatever its column: a column thought safe (the colour, a client's
    # string) once let `=HYPERLINK(...)` through. Numbers and dates start with a digit: unchanged.
    return [protect(cell) for cell in cells]


def render(model: ExportModel) -> bytes:
    """One language, the board's (headers and colour names). UTF-8 with a BOM, `;`-separated,
    CRLF line ends, every field quoted when needed, every cell protected from being run as a
    formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerow(_protected(header_names(model.locale)))
    for note in model.notes():
        writer.writerow(_protected(_row(note, model.locale)))
    return (BOM + buffer.getvalue()).encode("utf-8")


def _file(source: ExportSource) -> bytes:
    return render(source.model)


FORMAT = ExportFormat("csv", "text/csv; charset=utf-8", "csv", _file)
