"""GitHub-flavoured Markdown of a board: headings and lists, a table for grids."""

from __future__ import annotations

import re

from server.boards.export.labels import (
    comment_text,
    format_date,
    group_heading,
    label,
    legend_text,
    note_votes_text,
    reactions_text,
    totals_text,
)
from server.boards.export.links import find_links
from server.boards.export.model import (
    ExportFormat,
    ExportModel,
    ExportNote,
    ExportSource,
    GridBlock,
)
from server.boards.export.text import clean_text

# Backslash-escaped wherever they appear (CommonMark lets any ASCII punctuation be escaped).
_ALWAYS = frozenset("\\`*_[]<>|~&!{}")
# Escaped after a letter or a digit: `scheme:` and `name@domain` autolinks start that way.
_AFTER_WORD = frozenset(":@")
# Escaped at the start of a line, where they open a heading, a quote, a list or a rule.
_LINE_START = frozenset("#>-+=")
_ORDERED = re.compile(r"^(\d{1,9})([.)])")
_WWW = re.compile(r"(?i)www\.")


def _after_word(line: str, i: int) -> bool:
    return i > 0 and line[i - 1].isascii() and line[i - 1].isalnum()


def escape(value: str) -> str:
    """User text as Markdown that renders as exactly that text.

    Backslash escapes: `\\` `` ` `` `*` `_` `[` `]` `<` `>` `|` `~` `&` `{` `}` everywhere
    (emphasis, code, links, raw HTML, table cells, strikethrough, entities), `:` and `@` after
    a letter or digit (the GFM autolinks `scheme:` and e-mail addresses), `!` (images), the
    dot of `www.` (the `www.` autolink); at a line start `#` `>` `-` `+` `=` and the `.` or
    `)` of `1.` (headings, quotes, lists, rules, setext underlines). Blank lines and leading
    blanks are removed by `clean_text` first (indentation would make a code block). Newlines
    are returned as `\\n`: the caller turns them into the break that fits where text goes.
    """
    lines = [_line_start(_escape_chars(line, "")) for line in clean_text(value).split("\n")]
    return "\n".join(line for line in lines if line)


def _escape_chars(segment: str, before: str) -> str:
    """The character escapes of `escape` for a piece of a line; `before` is the character
    right before it in the line (a `:` or `@` after a letter or digit is escaped)."""
    line = before + segment
    out = "".join(
        "\\" + ch
        if ch in _ALWAYS or (ch in _AFTER_WORD and _after_word(line, i + len(before)))
        else ch
        for i, ch in enumerate(segment)
    )
    return _WWW.sub(lambda m: m.group(0)[:3] + "\\.", out)


def _line_start(out: str) -> str:
    """Escapes what opens a heading, quote, list or rule at the start of an escaped line."""
    if out[:1] in _LINE_START:
        out = "\\" + out
    return _ORDERED.sub(r"\1\\\2", out)


def escape_with_links(value: str) -> str:
    """A note's text as `escape` makes it, its http(s) addresses as links
    (docs/board-schema.md, "Links in a note"): `[address as typed](href)`, the href
    percent-encoded, parentheses included, so that nothing in it ends the destination."""
    lines = []
    for line in clean_text(value).split("\n"):
        out = []
        before = ""
        for part in find_links(line):
            text = _escape_chars(part.text, before)
            if part.href is None:
                out.append(text)
            else:
                # `&` backslash-escaped: `&#124;` in a destination would be read as a reference.
                href = part.href.replace("(", "%28").replace(")", "%29").replace("&", "\\&")
                out.append(f"[{text}]({href})")
            before = part.text[-1:] or before
        lines.append(_line_start("".join(out)))
    return "\n".join(line for line in lines if line)


def _meta(note: ExportNote, locale: str) -> str:
    parts = []
    if votes := note_votes_text(locale, note.votes):
        parts.append(f"**{votes}**")
    if note.author:
        parts.append(f"*{escape(note.author)}*")
    if note.reactions:
        parts.append(reactions_text(note.reactions))
    return " · ".join(parts)


def _comments(note: ExportNote, locale: str) -> list[str]:
    """Each comment as text: `*author* : text`, escaped like a note (links stay text)."""
    return [
        comment_text(locale, escape(c.text), f"*{escape(c.author)}*" if c.author else None)
        for c in note.comments
    ]


def _list_item(note: ExportNote, locale: str) -> str:
    # A backslash at the end of a line is a hard break; the indent keeps the line in the item.
    text = escape_with_links(note.text).replace("\n", "\\\n  ")
    meta = _meta(note, locale)
    if meta:
        text = f"{text} — {meta}" if text else meta
    # Comments as a nested list under the note's item.
    return "\n".join([f"- {text}", *(f"  - {c}" for c in _comments(note, locale))])


def _cell(notes: tuple[ExportNote, ...], locale: str) -> str:
    # Table cells hold no newline: lines and notes are separated by HTML breaks.
    items = []
    for note in notes:
        text = escape_with_links(note.text).replace("\n", "<br>")
        meta = _meta(note, locale)
        item = f"{text} — {meta}" if text and meta else text or meta
        items.append("<br>".join([item, *(f"— {c}" for c in _comments(note, locale))]))
    return "<br><br>".join(items)


def _grid(block: GridBlock, locale: str) -> list[str]:
    head = "| |" + "|".join(f" {escape(c)} " for c in block.cols) + "|"
    rule = "|---|" + "|".join("---" for _ in block.cols) + "|"
    rows = [
        f"| **{escape(row)}** |" + "|".join(f" {_cell(cell, locale)} " for cell in cells) + "|"
        if row
        else "| |" + "|".join(f" {_cell(cell, locale)} " for cell in cells) + "|"
        for row, cells in zip(block.rows, block.cells, strict=True)
    ]
    return [head, rule, *rows, ""]


def render(model: ExportModel) -> str:
    locale = model.locale
    subtitle = label(locale, "subtitle").format(
        title=escape(model.title),
        date=format_date(model.exported_at, locale),
        totals=totals_text(locale, model.note_count, model.vote_total),
    )
    lines = [f"# {escape(model.title) or 'Ardoise'}", "", f"*{subtitle}*", ""]
    if model.legend:
        words = ((e.word, escape(e.label)) for e in model.legend)
        lines.extend([legend_text(locale, words), ""])
    if model.groups:
        lines.extend([f"## {label(locale, 'themes')}", ""])
    for group in model.groups:
        lines.extend([f"### {group_heading(locale, escape(group.title) or '…', group.votes)}", ""])
        lines.extend(_list_item(n, locale) for n in group.notes)
        if group.notes:
            lines.append("")
    for block in model.blocks:
        if isinstance(block, GridBlock):
            lines.extend(_grid(block, locale))
            continue
        for zone in block.zones:
            lines.extend([f"## {escape(zone.title) or '…'}", ""])
            lines.extend(_list_item(n, locale) for n in zone.notes)
            if zone.notes:
                lines.append("")
    if model.unzoned:
        if model.blocks:
            lines.extend([f"## {label(locale, 'unzoned')}", ""])
        lines.extend(_list_item(n, locale) for n in model.unzoned)
    elif model.note_count == 0:
        lines.append(f"*{label(locale, 'no_notes')}*")
    return "\n".join(lines).rstrip("\n") + "\n"


def _file(source: ExportSource) -> bytes:
    return render(source.model).encode("utf-8")


FORMAT = ExportFormat("markdown", "text/markdown; charset=utf-8", "md", _file)
