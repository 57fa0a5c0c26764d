"""User text is text in every format: hostile strings never become markup (property tests)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from server.boards.export import markdown, yeswiki
from server.boards.export.text import clean_keeping_layout, clean_line, clean_text
from tests.support.yeswiki_page import read, show

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
    "[50%]",
    "[1",
    "{{toc}}",
    "{{TOC",
    '{{attach file="x"}}',
    "\\@\\@\\",
    "\\@",
    "@",
    '"',
    '"""',
    "''",
    "&#124;",
    "&quot;",
    "&verbar;",
    "<span>",
    "</div>",
    "</td></tr></table>",
    "<br>",
    "\u00a0",
    "\u200b",
    "\ufeff",
    "\ufffe",
    "\x85",
]
hostile_text = st.lists(
    st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(max_size=8)), max_size=12
).map("".join)


def _note_block(escaped: str) -> str:
    return f'""<div class="ardoise-note" style="white-space:pre-wrap;">{escaped}</div>""'


@given(hostile_text)
@settings(max_examples=400)
def test_escaped_yeswiki_text_shows_as_itself_and_nothing_else(text: str) -> None:
    typed = clean_keeping_layout(text)
    page = read(show(_note_block(yeswiki.escape(typed))))
    assert page.text() == typed
    assert page.shape() == read(show(_note_block("x"))).shape()


@given(hostile_text, hostile_text)
@settings(max_examples=200)
def test_escaped_yeswiki_texts_side_by_side_stay_apart(first: str, second: str) -> None:
    """Sequences YesWiki acts on cannot be made across two texts of one block."""
    one, two = clean_keeping_layout(first), clean_keeping_layout(second)
    block = f'""<p><strong>{yeswiki.escape(one)}</strong>{yeswiki.escape(two)}</p>""'
    assert read(show(block)).text() == one + two


def test_known_traps_are_neutralised() -> None:
    assert yeswiki.escape("a == b") == "a == b"
    assert yeswiki.escape('<b>x</b> & "q"') == '&lt;b&gt;x&lt;/b&gt; &amp; "q"'
    assert yeswiki.escape('""raw""') == '"<span>"</span>raw"<span>"</span>'
    assert yeswiki.escape('"""') == '"<span>"</span><span>"</span>'
    assert yeswiki.escape("[| x |] [50%] [a]") == "<span>[</span>| x |] <span>[</span>50%] [a]"
    assert yeswiki.escape("{{toc}} { {") == "<span>{</span>{toc}} { {"
    assert yeswiki.escape("\\@\\@\\ a@@b") == "\\<span>@</span>\\<span>@</span>\\ a@@b"
    assert yeswiki.escape("&#124; &amp;") == "&amp;#124; &amp;amp;"
    # Layout and wiki markup are left as typed: the raw block shows them as text.
    assert yeswiki.escape("  **x**\n\n\t==t==") == "  **x**\n\n\t==t=="


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
