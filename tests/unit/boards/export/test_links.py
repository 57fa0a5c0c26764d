"""Links in exported notes follow the rule the web client follows: tests/support/link_cases.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.boards.export import markdown, pdf, yeswiki
from server.boards.export.links import find_links
from server.boards.export.model import build_model
from server.boards.export.text import clean_text
from tests.support.bazar import stored_texts
from tests.support.yeswiki_page import Element, expected_notes, notes, read, show
from tests.unit.boards.export.boards import EXPORTED_AT, BoardBuilder
from tests.unit.boards.export.test_escaping import _MD, HOSTILE_PIECES, _inline_children
from tests.unit.boards.export.test_rendering import pdf_text

CASES: list[dict[str, Any]] = json.loads(
    (Path(__file__).parents[3] / "support" / "link_cases.json").read_text("utf-8")
)["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_links_are_found_as_the_web_client_finds_them(case: dict[str, Any]) -> None:
    parts = find_links(case["text"])
    assert [[p.text, p.href] for p in parts] == case["parts"]
    assert "".join(p.text for p in parts) == case["text"]


# Addresses mixed with the hostile pieces of every markup (tests/unit/boards/export/test_escaping).
ADDRESS_PIECES = [
    "https://example.org/",
    "http://x.fr/a_(b)",
    "https://ex.org/*a*_b_[c](d)<e>`f`|g",
    "javascript:alert(1)",
    "data:text/html,",
    "HTTPS://é.fr/é",
    " ",
    "\n",
    ").",
]
text_with_addresses = st.lists(
    st.one_of(
        st.sampled_from(ADDRESS_PIECES), st.sampled_from(HOSTILE_PIECES), st.text(max_size=6)
    ),
    max_size=10,
).map("".join)


@given(text_with_addresses)
@settings(max_examples=400)
def test_markdown_links_are_the_addresses_and_the_rest_is_text(text: str) -> None:
    escaped = markdown.escape_with_links(text)
    if not escaped:
        return
    shown, links = [], []
    inside: str | None = None
    for child in _inline_children(escaped):
        kind = getattr(child, "type", "")
        if kind == "link_open":
            inside = str(child.attrGet("href"))  # type: ignore[attr-defined]
            links.append([inside, ""])
        elif kind == "link_close":
            inside = None
        elif kind in ("text", "softbreak"):
            piece = "\n" if kind == "softbreak" else str(child.content)  # type: ignore[attr-defined]
            shown.append(piece)
            if inside is not None:
                links[-1][1] += piece
        else:
            raise AssertionError(f"markup {kind} in {escaped!r}")
    expected = "\n".join(line for line in clean_text(text).split("\n") if line)
    assert "".join(shown) == expected
    wanted = [
        [p.href.replace("(", "%28").replace(")", "%29"), p.text]
        for line in clean_text(text).split("\n")
        for p in find_links(line)
        if p.href is not None
    ]
    assert [[_MD.normalizeLink(h), t] for h, t in wanted] == links
    assert all(h.lower().startswith(("http://", "https://")) for h, _ in links)


def _links(element: Element) -> list[tuple[str, str]]:
    found = []
    for child in element.children:
        if isinstance(child, Element):
            if child.tag == "a":
                found.append((child.attrs["href"], child.text()))
            found.extend(_links(child))
    return found


@given(text_with_addresses)
@settings(max_examples=300)
def test_yeswiki_links_are_the_addresses_and_the_note_shows_as_typed(text: str) -> None:
    board = BoardBuilder("Liens").note("n", text, 0, 0)
    model = build_model(board.snapshot(), None, EXPORTED_AT)
    page = read(show(yeswiki.render(model)))  # refuses any other link (tests/support)
    assert notes(page) == expected_notes(model)
    # The wiki's hrefs carry `@` encoded (a Bazar rewrites `@@` before its purifier runs).
    wanted = [
        (p.href.replace("@", "%40"), p.text)
        for p in find_links(model.unzoned[0].typed_text if model.unzoned else "")
        if p.href is not None
    ]
    assert _links(page) == wanted


def test_yeswiki_links_are_stored_by_a_bazar_as_sent() -> None:
    text = "voir https://example.org/a?b=1&c=2&#124;x'y, (https://fr.wikipedia.org/wiki/A_(b))"
    board = BoardBuilder("Liens").note("n", text, 0, 0)
    page = yeswiki.render(build_model(board.snapshot(), None, EXPORTED_AT))
    assert page.count("<a href=") == 2
    (stored,) = stored_texts([("wiki", page)])
    assert stored == page


def test_an_address_a_yeswiki_post_formatter_would_act_on_stays_text() -> None:
    board = BoardBuilder("Liens").note(
        "n", "https://example.org/+wow+ https://example.org/ok", 0, 0
    )
    page = yeswiki.render(build_model(board.snapshot(), None, EXPORTED_AT))
    assert _links(read(show(page))) == [("https://example.org/ok", "https://example.org/ok")]


def test_pdf_notes_link_their_addresses_only(tmp_path: Path) -> None:
    text = 'voir https://example.org/a?b=1&c=2 et javascript:alert(1) <b>"x"</b>'
    board = BoardBuilder("Liens").note("n", text, 0, 0)
    data = pdf.render(build_model(board.snapshot(), None, EXPORTED_AT))
    assert b"/URI (https://example.org/a?b=1&c=2)" in data
    assert data.count(b"/URI (") == 1
    assert text in " ".join(pdf_text(data, tmp_path).split())


@given(st.lists(text_with_addresses, min_size=1, max_size=4))
@settings(max_examples=25, deadline=None)
def test_yeswiki_pages_with_addresses_are_stored_by_a_bazar_as_sent(texts: list[str]) -> None:
    board = BoardBuilder("Liens")
    for i, text in enumerate(texts):
        board.note(f"n{i}", text, 200 * i, 0)
    page = yeswiki.render(build_model(board.snapshot(), None, EXPORTED_AT))
    (stored,) = stored_texts([("wiki", page)])
    assert stored == page
