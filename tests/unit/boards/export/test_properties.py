"""Hostile text anywhere on a board never changes the structure of an export (hypothesis)."""

from __future__ import annotations

import dataclasses
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pycrdt import Doc

from server.boards.board_snapshot import read_board
from server.boards.export import csv_export, csv_import, json_format, markdown, restore, yeswiki
from server.boards.export.links import find_links
from server.boards.export.model import build_model
from server.boards.export.text import clean_line, clean_text
from server.boards.palette import palette_name
from tests.support.yeswiki_page import expected_notes, notes, read, show
from tests.unit.boards.export.boards import EXPORTED_AT, HORIZONS, BoardBuilder
from tests.unit.boards.export.test_escaping import hostile_text

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def hostile_boards(draw: st.DrawFn) -> tuple[BoardBuilder, BoardBuilder, dict[str, int] | None]:
    """A hostile board and a benign twin of the same shape (same empty texts, same zones)."""
    texts = draw(st.lists(hostile_text, min_size=13, max_size=13))
    grid = draw(st.booleans())
    votes = draw(st.one_of(st.none(), st.just({"n0": 3, "n2": 1})))

    def twin(text: str, benign: bool, line: bool = False) -> str:
        kept = clean_line(text) if line else clean_text(text)
        return ("x" if kept else "") if benign else text

    def build(benign: bool) -> BoardBuilder:
        board = BoardBuilder("T" if benign else f"T {texts[0]}")
        for c in range(3):
            # A row label that cleans to nothing is no label (no grid): "r" stands in on both sides.
            row = texts[1] if clean_line(texts[1]) else "r"
            extra = {"row": twin(row, benign, True), "col": HORIZONS[c]} if grid else {}
            board.zone(f"z{c}", twin(texts[2 + c], benign, True), [300 * c, 0, 300, 600], **extra)
        for i in range(5):
            board.note(
                f"n{i}",
                twin(texts[5 + i], benign),
                300 * (i % 4) + 10,
                60,
                # A name as a board holds one (80 characters at most, "id-" added for its id).
                author=twin(texts[10][:60], benign, True),
            )
        # Reactions, and comments as hostile as notes (a board holds 500 characters of one).
        board.react("n0", "👍", "id-a", "id-b").react("n2", "❓", "id-a")
        for i, text in enumerate(texts[11:]):
            # A comment that cleans to nothing is not shown: "·" stands in on both sides.
            shown = text[:500] if clean_line(text[:500]) else "·"
            board.comment(f"c{i}", f"n{i}", twin(shown, benign, True), "Inès")
        return board

    return build(False), build(True), votes


@given(hostile_boards(), st.booleans())
@PROPERTY
def test_yeswiki_page_shows_every_text_in_its_place_and_is_shaped_as_the_benign_twin(
    boards: tuple[BoardBuilder, BoardBuilder, dict[str, int] | None], standalone: bool
) -> None:
    hostile, benign, votes = boards
    model = build_model(hostile.snapshot(), votes, EXPORTED_AT)
    page = read(show(yeswiki.render(model, standalone=standalone)))
    twin = build_model(benign.snapshot(), votes, EXPORTED_AT)
    assert page.shape() == read(show(yeswiki.render(twin, standalone=standalone))).shape()
    assert notes(page) == expected_notes(model)
    titles = [e.text() for e in page.find("ardoise-titre")]
    assert titles == ([clean_line(model.title) or "Ardoise"] if standalone else [])


@given(hostile_boards())
@PROPERTY
def test_markdown_structure_is_the_benign_twins(
    boards: tuple[BoardBuilder, BoardBuilder, dict[str, int] | None],
) -> None:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table").enable("strikethrough")
    hostile, benign, votes = boards

    hrefs: list[str] = []

    def shape(board: BoardBuilder) -> list[str]:
        page = markdown.render(build_model(board.snapshot(), votes, EXPORTED_AT))
        out = []
        for token in md.parse(page):
            out.append(token.type)
            # Lines of a note are breaks (`<br>` in a table cell), and its web addresses links
            # (checked below): the rest must be the same.
            for c in token.children or []:
                if c.type == "link_open":
                    hrefs.append(str(c.attrGet("href")))
                elif c.type not in ("text", "softbreak", "hardbreak", "link_close") and (
                    c.content != "<br>"
                ):
                    out.append(c.type)
        return out

    assert shape(hostile) == shape(benign)
    # The only links are the notes' http(s) addresses (docs/board-schema.md, "Links in a note").
    addresses = [
        part.href
        for note in hostile.notes.values()
        for line in clean_text(note["text"]).split("\n")
        for part in find_links(line)
        if part.href is not None
    ]
    assert len(hrefs) == len(addresses)
    assert all(h.lower().startswith(("http://", "https://")) for h in hrefs)


@given(hostile_boards())
@PROPERTY
def test_csv_round_trips(boards: tuple[BoardBuilder, BoardBuilder, dict[str, int] | None]) -> None:
    hostile, _, votes = boards
    model = build_model(hostile.snapshot(), votes, EXPORTED_AT)
    rows = csv_import.parse(csv_export.render(model))
    notes = list(model.notes())
    # The colour is written in the board's language, and read back in either.
    assert [(r.zone, r.row, r.col, r.text, palette_name(r.color), r.author) for r in rows] == [
        (n.zone, n.row, n.col, n.text, n.color, n.author or "") for n in notes
    ]
    assert [r.votes for r in rows] == ["" if n.votes is None else str(n.votes) for n in notes]


def _reimport(data: bytes) -> tuple[Doc[Any], Doc[Any]]:
    import json

    board = json_format.load(json.loads(data), 5000, 100_000)
    layout: Doc[Any] = Doc()
    notes: Doc[Any] = Doc()
    restore.write_layout(layout, board)
    restore.write_notes(notes, board.notes)
    return layout, notes


@given(hostile_boards())
@PROPERTY
def test_json_export_then_import_gives_the_same_board(
    boards: tuple[BoardBuilder, BoardBuilder, dict[str, int] | None],
) -> None:
    hostile, _, votes = boards
    # A title as a board holds one: trimmed, at most 200 characters (POST /api/boards).
    title = hostile.snapshot().title[: json_format.MAX_BOARD_TITLE].strip()
    # Authors as a board holds them: a name of at most 80 characters, a server-issued id
    # (docs/protocol.md section 4, "Judging notes").
    notes = tuple(
        dataclasses.replace(note, author=note.author[:80], author_id=note.author_id[:80])
        for note in hostile.snapshot().notes
    )
    original = dataclasses.replace(hostile.snapshot(), title=title, notes=notes)
    again = read_board(*_reimport(json_format.render(original, votes, EXPORTED_AT)))
    assert again == original
