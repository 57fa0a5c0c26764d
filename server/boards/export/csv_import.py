"""Reading notes from a CSV file prepared in a spreadsheet (ours, or one written by hand)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from server.boards.board_snapshot import Zone
from server.boards.export.csv_export import BOM, unprotect
from server.boards.export.labels import all_header_names
from server.boards.export.text import clean_line
from server.boards.file_problems import FileProblem
from server.boards.palette import DEFAULT_NOTE_COLOR, palette_name

_DELIMITERS = ";,\t"
# English names a hand-written file may use besides ours.
_EXTRA_HEADERS = {"color": "color", "colour": "color", "note": "text", "idée": "text"}


class CsvFileError(FileProblem):
    """A CSV file that cannot be imported; the text names the line and the problem."""


@dataclass(frozen=True, slots=True)
class CsvRow:
    """One line of the file, every known column as text (missing columns are empty)."""

    line: int
    zone: str = ""
    row: str = ""
    col: str = ""
    text: str = ""
    color: str = ""
    author: str = ""
    votes: str = ""
    created: str = ""
    # The theme a line was exported under; read, not made into a group by an import.
    group: str = ""


def decode(data: bytes) -> str:
    """UTF-8 (with or without a BOM); else Windows-1252, what French Excel saves by default."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return text.removeprefix(BOM)


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


# Columns an export writes that an import does not read: the legend is the board's, not a note's.
# Reactions and comments belong to the people of a workshop: an import makes new notes only.
_IGNORED_COLUMNS = frozenset({"legend", "reactions", "comments"})


def _column_keys(header: list[str]) -> list[str | None]:
    names = {**all_header_names(), **_EXTRA_HEADERS}
    keys = [names.get(" ".join(h.split()).lower()) for h in header]
    return [None if key in _IGNORED_COLUMNS else key for key in keys]


def parse(data: bytes) -> list[CsvRow]:
    """Every non-empty line; the first line names the columns (a `texte`/`text` one at least).

    A file of a single column without a header is read as one note text per line.
    """
    text = decode(data)
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first))
    try:
        records = list(reader)
    except csv.Error as exc:
        # Read from text with newline="", the one error csv raises is an over-long cell: say so
        # in the importer's words; anything else keeps the module's own.
        if "field limit" in str(exc):
            limit = csv.field_size_limit()
            raise CsvFileError("csv.cellTooLong", line=reader.line_num, max=limit) from exc
        raise CsvFileError("csv.unreadable", reason=str(exc)) from exc
    if not records:
        raise CsvFileError("csv.empty")
    keys = _column_keys(records[0])
    body = records[1:]
    if "text" not in keys:
        if all(len(r) <= 1 for r in records):
            keys, body = ["text"], records
        else:
            found = ", ".join(repr(h) for h in records[0][:8])
            raise CsvFileError("csv.noTextColumn", found=found)
    rows = []
    for number, record in enumerate(body, start=len(records) - len(body) + 1):
        values: dict[str, str] = {}
        for key, value in zip(keys, record, strict=False):
            if key is not None and key not in values:
                values[key] = unprotect(value)
        if not any(v.strip() for v in values.values()):
            continue
        rows.append(CsvRow(line=number, **values))
    return rows


@dataclass(frozen=True, slots=True)
class ImportedNote:
    text: str
    color: str
    author: str
    zone: Zone | None


def _key(value: str) -> str:
    return clean_line(value).casefold()


def find_zone(zones: tuple[Zone, ...], row: CsvRow) -> Zone | None:
    """The zone named by the line (title, and grid row and column when given), if any."""
    wanted = (_key(row.zone), _key(row.row), _key(row.col))
    if not any(wanted):
        return None
    for zone in zones:
        if wanted[0] and _key(zone.title) != wanted[0]:
            continue
        if wanted[1] and _key(zone.row) != wanted[1]:
            continue
        if wanted[2] and _key(zone.col) != wanted[2]:
            continue
        return zone
    return None


def notes_from_rows(
    rows: list[CsvRow], zones: tuple[Zone, ...], max_chars: int, room_left: int
) -> list[ImportedNote]:
    """Check every line, then the notes to add; lines without text are skipped."""
    notes = []
    for row in rows:
        text = row.text.strip("\r\n")
        if not text.strip():
            continue
        if len(text) > max_chars:
            raise CsvFileError("csv.tooLong", line=row.line, max=max_chars)
        color = palette_name(row.color) if row.color.strip() else DEFAULT_NOTE_COLOR
        if color is None:
            raise CsvFileError("csv.unknownColour", line=row.line, colour=repr(row.color[:30]))
        notes.append(
            ImportedNote(
                text=text,
                color=color,
                author=clean_line(row.author)[:100],
                zone=find_zone(zones, row),
            )
        )
    if not notes:
        raise CsvFileError("csv.noText")
    if len(notes) > room_left:
        raise CsvFileError("csv.noRoom", count=len(notes), room=room_left)
    return notes
