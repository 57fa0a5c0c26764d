"""User text is text in every format: hostile strings never become markup (property tests)."""

from __future__ import annotations

import html

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from server.boards.export import markdown, yeswiki
from server.boards.export.text import clean_line, clean_text
from tests.unit.boards.export.yeswiki_validator import tokens

# Pieces of every markup we know to be dangerous, mixed with ordinary and odd characters.
HOSTILE_PIECES = [
    "==",
    "===",
    "======",
    "**",
    "//",
    "__",
    "##",
    "@@",
    "££",
    "%%",
    '""',
    "[[",
    "]]",
    "{{",
    "}}",
    "[|",
    "|]",
    "|",
    "!",
    "!x!",
    "---",
    "----",
    " - ",
    "\n - ",
    "\n 1) ",
    "\t",
    "\n\t",
    "<script>alert(1)</script>",
    "<b>",
    "&lt;",
    "&amp;",
    "&#42;",
    "&",
    "http://evil.example",
    "https://x.y/z",
    "Wiki:Page",
    "Attention:",
    "CamelCase",
    "SecrétairesDeMairie",
    "Axe2",
    '{{include page="X"}}',
    '{{section bgcolor="red"}}',
    "\x00",
    "\x07",
    "\x1b[31m",
    "\r\n",
    "\u202e",
    "\u2028",
    "😀",
    "👩🏽‍🚒",
    "é",
    "œ",
    "€",
    "«",
    "x" * 300,
    "# titre",
    "> cité",
    "1. un",
    "- point",
    "+ plus",
    "`code`",
    "~~barré~~",
    "![img](x)",
    "[lien](http://x)",
    "<http://x>",
    "www.example.org",
    "a@b.fr",
    "\\",
    "  ",
    "\n\n",
]
hostile_text = st.lists(
    st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(max_size=8)), max_size=12
).map("".join)


@given(hostile_text)
@settings(max_examples=400)
def test_escaped_yeswiki_text_holds_no_construct_and_renders_as_itself(text: str) -> None:
    escaped = yeswiki.escape(text)
    assert [t for t in tokens(escaped) if t != "\n"] == []
    assert html.unescape(escaped) == clean_text(text)


@given(hostile_text, st.sampled_from(["**", "//", "====", "======"]))
@settings(max_examples=300)
def test_escaped_yeswiki_text_inside_our_markers_keeps_them_paired(text: str, marker: str) -> None:
    line = yeswiki.escape_line(text)
    assume(line)  # the exporter writes no marker around an empty text
    assert [t for t in tokens(f"{marker}{line}{marker}") if t != "\n"] == [marker, marker]
    assert "|" not in line and "[" not in line and "]" not in line


_MD = MarkdownIt("commonmark").enable("table").enable("strikethrough")


def _inline_children(text: str) -> list[object]:
    blocks = _MD.parse(text)
    assert [b.type for b in blocks] == ["paragraph_open", "inline", "paragraph_close"]
    return list(blocks[1].children or [])


@given(hostile_text)
@settings(max_examples=400)
def test_escaped_markdown_is_one_paragraph_of_plain_text(text: str) -> None:
    escaped = markdown.escape(text)
    if not escaped:
        assert clean_text(text) == ""
        return
    children = _inline_children(escaped)
    kinds = {getattr(c, "type", "") for c in children}
    assert kinds <= {"text", "softbreak"}, kinds
    shown = "".join("\n" if c.type == "softbreak" else c.content for c in children)
    expected = "\n".join(line for line in clean_text(text).split("\n") if line)
    assert shown == expected


@given(hostile_text)
@settings(max_examples=200)
def test_escaped_markdown_stays_in_its_table_cell(text: str) -> None:
    cell = markdown.escape(clean_line(text))
    table = f"| a | b |\n|---|---|\n| {cell} | z |\n"
    tokens_ = _MD.parse(table)
    cells = [t for t in tokens_ if t.type == "td_open"]
    assert len(cells) == 2
    inline = [t for t in tokens_ if t.type == "inline"][2]
    assert {c.type for c in inline.children or []} <= {"text"}
    assert "".join(c.content for c in inline.children or []) == clean_line(text)


def test_known_traps_are_neutralised() -> None:
    assert yeswiki.escape("a == b") == "a &#61;&#61; b"
    assert yeswiki.escape("**gras") == "&#42;&#42;gras"
    assert yeswiki.escape('""<b>""') == "&#34;&#34;&#60;b&#62;&#34;&#34;"
    assert yeswiki.escape("Réseau des SecretairesDeMairie") == (
        "Réseau des &#83;ecretaires&#68;eMairie"
    )
    assert yeswiki.escape("voir http://x.fr") == "voir http&#58;&#47;&#47;x.fr"
    assert yeswiki.escape(" - pas une liste\n - non plus") == (
        "&#45; pas une liste\n&#45; non plus"
    )
    assert yeswiki.escape("100 % bio, 2 - 1") == "100 &#37; bio, 2 - 1"
