"""A published page survives a Bazar's storage byte for byte and shows every text as written.

The storage is the test wiki's (tests/support/bazar.py): YesWiki's own steps around the real
HTMLPurifier library, with YesWiki's settings.
"""

from __future__ import annotations

import html

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.boards.export import yeswiki
from server.boards.export.model import build_model
from server.boards.export.yeswiki_publish import board_mark, html_text
from tests.support.bazar import stored_texts
from tests.support.yeswiki_page import expected_notes, notes, read, show
from tests.unit.boards.export.boards import EXPORTED_AT, BoardBuilder, roadmap
from tests.unit.boards.export.test_escaping import HOSTILE_PIECES
from tests.unit.boards.export.test_properties import hostile_boards

# Each example runs PHP once.
STORAGE = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@given(hostile_boards(), st.booleans())
@STORAGE
def test_a_hostile_board_is_stored_as_sent_and_shows_every_note_as_written(
    boards: tuple[BoardBuilder, BoardBuilder, dict[str, int] | None], standalone: bool
) -> None:
    hostile, _, votes = boards
    model = build_model(hostile.snapshot(), votes, EXPORTED_AT)
    page = yeswiki.render(model, standalone=standalone, mark=board_mark("b1"))
    title = f"{model.title} — 22/11/2026"
    stored_page, stored_title = stored_texts([("wiki", page), ("text", html_text(title))])
    assert stored_page == page
    assert notes(read(show(stored_page))) == expected_notes(model)
    assert stored_title == html_text(title) and html.unescape(stored_title) == title


def test_every_hostile_piece_in_every_place_survives_storage() -> None:
    """Each piece once as a note, an author, a column and a row title, in one page."""
    board = BoardBuilder("Pièges")
    pieces = HOSTILE_PIECES
    for i, piece in enumerate(pieces):
        board.zone(f"z{i}", piece, [300 * i, 0, 300, 600], row=f"r {piece}", col=f"c {piece}")
        board.note(f"n{i}", f"a{piece}b\n{piece}", 300 * i + 10, 60, author=f"x{piece}"[:60])
    for standalone in (True, False):
        model = build_model(board.snapshot(), {"n0": 1}, EXPORTED_AT)
        page = yeswiki.render(model, standalone=standalone)
        (stored,) = stored_texts([("wiki", page)])
        assert stored == page
        assert notes(read(show(stored))) == expected_notes(model)


def test_the_stand_in_stores_as_a_real_yeswiki_does() -> None:
    """A few of the rewrites seen on YesWiki 4.4.4 (docs/exports.md): escapes of wiki markup
    do not survive, raw HTML is purified, `@@` and `""` go through the field's steps."""
    sent = [
        ("wiki", "&#61;&#61;t&#61;&#61; &#124; &#123;&#123;x&#125;&#125; &#87;ikiNom"),
        ("wiki", '""<script>alert(1)</script>x""'),
        ("wiki", '""<img src="x" onerror="alert(1)">""'),
        ("wiki", '""a@""'),
        ("wiki", "\\@\\@\\ a@@b"),
        ("wiki", "x<y and z>w"),
        ("wiki", "ctrl\x01\x7f\r\nok"),
        ("text", "<b>Gras</b> &eacute;"),
    ]
    assert stored_texts(sent) == [
        "==t== | {{x}} WikiNom",
        '""x""',
        '""<img src="x" alt="x" />""',
        '""a""@',
        "@@ a@@b",
        "xw",
        "ctrl\nok",
        "<b>Gras</b> é",
    ]


def test_the_golden_roadmap_is_stored_as_sent() -> None:
    page = yeswiki.render(build_model(roadmap().snapshot(), None, EXPORTED_AT))
    assert stored_texts([("wiki", page)]) == [page]
