"""The export model: a board grouped by zone, in reading order, that every format renders."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from server.boards.board_snapshot import BoardSnapshot, Group, Note, Zone, zone_of
from server.boards.export.labels import color_word, label
from server.boards.export.text import clean_keeping_layout, clean_line, clean_text
from server.boards.images import EncodedImage
from server.boards.trash import DeletedNote

# Notes whose tops are within one band are read as one line, left to right: hand-placed notes
# of one row are never exactly aligned.
_READING_BAND = 60.0
# Column boards with more zones than this are shown as several rows of columns.
MAX_COLUMNS_PER_ROW = 4


@dataclass(frozen=True, slots=True)
class ExportComment:
    """A comment on a note as exports show it: its text on one line, its author unless the
    board is anonymous."""

    text: str
    author: str | None


@dataclass(frozen=True, slots=True)
class ExportNote:
    id: str
    # The note's text; an image note's says so first ("[Image] caption"), for the formats that
    # show no picture.
    text: str
    # The same text with its layout as typed (indentation, blank lines), for the formats that
    # can show it as text (YesWiki's raw HTML).
    typed_text: str
    color: str
    author: str | None
    votes: int | None
    created_at: datetime | None
    zone: str
    row: str
    col: str
    # What its colour means on this board (the legend), or "".
    meaning: str = ""
    # The title of the group (theme) the note is in; "" for none.
    group: str = ""
    # Each emoji with how many reacted (never who: counts are what a board shows everyone).
    reactions: tuple[tuple[str, int], ...] = ()
    comments: tuple[ExportComment, ...] = ()
    # An image note's picture (docs/board-schema.md, Image notes) and its caption (the note's
    # own text), for the formats that draw it; "" for a text note.
    image_id: str = ""
    caption: str = ""


@dataclass(frozen=True, slots=True)
class LegendEntry:
    """One line of the legend: a palette name, its word in the board's language, the label."""

    color: str
    word: str
    label: str


@dataclass(frozen=True, slots=True)
class GroupNotes:
    """A theme: its title, the votes on it as a whole, and its notes."""

    id: str
    title: str
    votes: int | None
    notes: tuple[ExportNote, ...]


@dataclass(frozen=True, slots=True)
class ZoneNotes:
    id: str
    title: str
    hint: str
    color: str
    notes: tuple[ExportNote, ...]


@dataclass(frozen=True, slots=True)
class GridBlock:
    """Zones with a row and a column (a roadmap): `cells[r][c]` are the notes of one cell."""

    rows: tuple[str, ...]
    cols: tuple[str, ...]
    cells: tuple[tuple[tuple[ExportNote, ...], ...], ...]


@dataclass(frozen=True, slots=True)
class ColumnsBlock:
    """Zones side by side, each one a column of notes."""

    zones: tuple[ZoneNotes, ...]

    def rows_of_columns(self) -> list[tuple[ZoneNotes, ...]]:
        """The zones cut into balanced rows of at most MAX_COLUMNS_PER_ROW columns."""
        count = len(self.zones)
        if count == 0:
            return []
        lines = math.ceil(count / MAX_COLUMNS_PER_ROW)
        size, extra = divmod(count, lines)
        out, start = [], 0
        for i in range(lines):
            end = start + size + (1 if i < extra else 0)
            out.append(self.zones[start:end])
            start = end
        return out


Block = GridBlock | ColumnsBlock


@dataclass(frozen=True, slots=True)
class ExportModel:
    title: str
    locale: str
    exported_at: datetime
    anonymous: bool
    shows_votes: bool
    blocks: tuple[Block, ...]
    unzoned: tuple[ExportNote, ...]
    note_count: int
    vote_total: int | None
    legend: tuple[LegendEntry, ...] = ()
    # The themes, shown first; their notes are listed there, not in their zones.
    groups: tuple[GroupNotes, ...] = ()

    def notes(self) -> Iterator[ExportNote]:
        """Every note, in export order."""
        for group in self.groups:
            yield from group.notes
        for block in self.blocks:
            if isinstance(block, GridBlock):
                for cells in block.cells:
                    for cell in cells:
                        yield from cell
            else:
                for zone in block.zones:
                    yield from zone.notes
        yield from self.unzoned


def _reading_key(note: Note) -> tuple[bool, float, float, float, str]:
    if note.rect is None:
        return (True, 0.0, 0.0, note.created_at or 0.0, note.id)
    band = math.floor(note.rect[1] / _READING_BAND)
    return (False, band, note.rect[0], note.created_at or 0.0, note.id)


def _sorted(notes: list[Note], votes: Mapping[str, int] | None) -> list[Note]:
    """Most voted first (when votes are shown), then reading order."""
    if votes is None:
        return sorted(notes, key=_reading_key)
    return sorted(notes, key=lambda n: (-votes.get(n.id, 0), _reading_key(n)))


def _export_note(
    note: Note,
    zone: Zone | None,
    anonymous: bool,
    votes: Mapping[str, int] | None,
    meanings: Mapping[str, str],
    group: str = "",
    image_mark: str = "[Image]",
) -> ExportNote:
    author = None if anonymous else clean_line(note.author) or None
    shown = note.text
    if note.image_id:
        shown = f"{image_mark} {note.text}" if note.text.strip() else image_mark
    created = None
    if note.created_at is not None and 0 < note.created_at < 253402300800000:
        created = datetime.fromtimestamp(note.created_at / 1000, UTC)
    return ExportNote(
        id=note.id,
        text=clean_text(shown),
        typed_text=clean_keeping_layout(shown),
        color=note.color,
        author=author,
        votes=None if votes is None else max(0, int(votes.get(note.id, 0))),
        created_at=created,
        zone=clean_line(zone.title) if zone else "",
        row=clean_line(zone.row) if zone else "",
        col=clean_line(zone.col) if zone else "",
        meaning=meanings.get(note.color, ""),
        group=group,
        reactions=tuple((emoji, len(ids)) for emoji, ids in note.reactions),
        comments=tuple(
            ExportComment(
                text=clean_line(c.text), author=None if anonymous else clean_line(c.author) or None
            )
            for c in note.comments
            if clean_line(c.text)
        ),
        image_id=note.image_id,
        caption=clean_text(note.text) if note.image_id else "",
    )


def _image_mark(locale: str) -> str:
    return f"[{label(locale, 'image')}]"


def _groups(
    board: BoardSnapshot, votes: Mapping[str, int] | None, meanings: Mapping[str, str]
) -> tuple[tuple[GroupNotes, ...], set[str]]:
    """The themes with their notes (most voted first when votes are shown, then oldest), and
    the ids of the notes they hold."""
    members: dict[str, list[Note]] = {}
    for note in board.notes:
        if note.group_id:
            members.setdefault(note.group_id, []).append(note)

    def votes_on(group: Group) -> int | None:
        return None if votes is None else max(0, int(votes.get(group.id, 0)))

    ordered = sorted(enumerate(board.groups), key=lambda pair: (-(votes_on(pair[1]) or 0), pair[0]))
    out = []
    for _, group in ordered:
        title = clean_line(group.title)
        notes = tuple(
            _export_note(
                n,
                zone_of(n.rect, board.zones) if n.rect else None,
                board.anonymous,
                votes,
                meanings,
                group=title or "…",
                image_mark=_image_mark(board.locale),
            )
            for n in _sorted(members.get(group.id, []), votes)
        )
        out.append(GroupNotes(id=group.id, title=title, votes=votes_on(group), notes=notes))
    return tuple(out), {n.id for notes in members.values() for n in notes}


def _first_seen(values: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def build_model(
    board: BoardSnapshot, votes: Mapping[str, int] | None, exported_at: datetime
) -> ExportModel:
    """Group the notes by derived zone; `votes` are passed only once they are revealed."""
    legend = tuple(
        LegendEntry(color, color_word(board.locale, color), clean_line(text))
        for color, text in board.legend
        if clean_line(text)
    )
    meanings = {entry.color: entry.label for entry in legend}
    groups, grouped = _groups(board, votes, meanings)
    mark = _image_mark(board.locale)
    by_zone: dict[str | None, list[Note]] = {}
    for note in board.notes:
        if note.id in grouped:
            continue
        zone = zone_of(note.rect, board.zones) if note.rect else None
        by_zone.setdefault(zone.id if zone else None, []).append(note)

    def notes_of(zones: list[Zone]) -> tuple[ExportNote, ...]:
        found = [n for z in zones for n in by_zone.get(z.id, [])]
        owner = {n.id: z for z in zones for n in by_zone.get(z.id, [])}
        return tuple(
            _export_note(n, owner[n.id], board.anonymous, votes, meanings, image_mark=mark)
            for n in _sorted(found, votes)
        )

    grid_zones = [z for z in board.zones if z.row or z.col]
    plain_zones = [z for z in board.zones if not (z.row or z.col)]
    blocks: list[tuple[float, Block]] = []
    if grid_zones:
        rows = _first_seen([clean_line(z.row) for z in grid_zones])
        cols = _first_seen([clean_line(z.col) for z in grid_zones])
        cells = tuple(
            tuple(
                notes_of(
                    [z for z in grid_zones if clean_line(z.row) == r and clean_line(z.col) == c]
                )
                for c in cols
            )
            for r in rows
        )
        blocks.append((grid_zones[0].order, GridBlock(rows=rows, cols=cols, cells=cells)))
    if plain_zones:
        columns = tuple(
            ZoneNotes(
                id=z.id,
                title=clean_line(z.title),
                hint=clean_line(z.hint),
                color=z.color,
                notes=notes_of([z]),
            )
            for z in plain_zones
        )
        blocks.append((plain_zones[0].order, ColumnsBlock(zones=columns)))
    blocks.sort(key=lambda pair: pair[0])
    unzoned = tuple(
        _export_note(n, None, board.anonymous, votes, meanings, image_mark=mark)
        for n in _sorted(by_zone.get(None, []), votes)
    )
    vote_total = None
    if votes is not None:
        note_ids = {n.id for n in board.notes} | {g.id for g in board.groups}
        vote_total = sum(max(0, int(v)) for k, v in votes.items() if k in note_ids)
    return ExportModel(
        title=clean_line(board.title),
        locale=board.locale,
        exported_at=exported_at,
        anonymous=board.anonymous,
        shows_votes=votes is not None,
        blocks=tuple(block for _, block in blocks),
        unzoned=unzoned,
        note_count=len(board.notes),
        vote_total=vote_total,
        legend=legend,
        groups=groups,
    )


@dataclass(frozen=True, slots=True)
class ExportSource:
    """What every format renders from: the board read at one moment, and its model."""

    board: BoardSnapshot
    model: ExportModel
    votes: Mapping[str, int] | None  # only tallies everyone may see
    moment: datetime
    # The deleted notes, for the formats that back a board up (JSON), when the one exporting
    # may see them all (the facilitator); empty otherwise.
    trash: tuple[DeletedNote, ...] = ()
    # The board's pictures by id, for the formats that draw or carry them (PDF, PNG, JSON);
    # empty for the others.
    images: Mapping[str, EncodedImage] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        board: BoardSnapshot,
        votes: Mapping[str, int] | None,
        moment: datetime,
        trash: tuple[DeletedNote, ...] = (),
        images: Mapping[str, EncodedImage] | None = None,
    ) -> ExportSource:
        model = build_model(board, votes, moment)
        return cls(board, model, votes, moment, trash, images or {})


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """One export format as served: its name in the URL, its file, and its pure renderer."""

    name: str
    media_type: str
    extension: str
    render: Callable[[ExportSource], bytes]
    # Whether it draws or carries the board's pictures (ExportSource.images): only then are
    # they read from storage.
    uses_images: bool = False
