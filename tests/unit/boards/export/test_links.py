"""Links in exported notes follow the rule the web client follows: tests/support/link_cases.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.boards.export import markdown
from server.boards.export.links import find_links
from server.boards.export.text import clean_text
from tests.unit.boards.export.test_escaping import _MD, HOSTILE_PIECES, _inline_children

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
