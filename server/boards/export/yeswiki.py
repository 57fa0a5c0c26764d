"""YesWiki page of a board: raw HTML blocks that a wiki stores and shows exactly as written.

The same page is pasted into a wiki page or published as a Bazar entry (docs/exports.md). A
Bazar entry is rewritten before it is stored (the `""`/`@@` steps of the long-text field and
an HTML purifier), which decodes every character reference but `&lt; &gt; &amp;`: escapes of
wiki markup do not survive it. What does is HTML inside YesWiki's raw blocks `""…""`, whose
content the formatter leaves alone. So every user text sits in such a block, HTML-escaped,
with the few sequences YesWiki acts on anyway broken by an empty-looking `<span>` (`escape`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from server.boards.export.labels import (
    comment_text,
    format_date,
    group_heading,
    label,
    legend_title,
    note_votes_text,
    reactions_text,
    totals_text,
)
from server.boards.export.links import find_links
from server.boards.export.model import (
    ColumnsBlock,
    ExportFormat,
    ExportModel,
    ExportNote,
    ExportSource,
    GridBlock,
)
from server.boards.export.text import clean_line
from server.boards.palette import hex_color

_UNZONED_COLUMNS = 3
# The theme's (Bootstrap 3) table classes, kept next to ours; `prevent-auto-init` stops
# YesWiki's script from turning the table into a sortable DataTable.
_GRID_CLASS = "table table-condensed table-striped table-bordered prevent-auto-init ardoise-grille"
_TOP = "vertical-align:top;"
# Kept by YesWiki's purifier; shows the note's line breaks, blank lines and indentation.
_AS_TYPED = "white-space:pre-wrap;"
_BROKEN = "<span>{}</span>"
_DIGITS = frozenset("0123456789")
# What a Bazar's purifier keeps of a link that opens in a new tab (docs/exports.md).
_LINK_ATTRS = 'target="_blank" rel="noreferrer noopener"'
# YesWiki's post-formatters act on these words between quotes, blanks or `+` inside any tag.
_CLASS_WORD = re.compile(r"[\s+\"'](wow|markdown|mermaid|c4-izmir)[\s+\"']", re.IGNORECASE)


def escape(value: str) -> str:
    """Text as HTML that YesWiki stores unchanged and shows as exactly that text.

    `&`, `<` and `>` become `&amp;`, `&lt;` and `&gt;`: the only references the purifier keeps.
    A character starting one of the sequences YesWiki acts on anywhere, even inside a raw
    block, is put in a `<span>` of its own, which breaks the sequence and shows nothing:

    - a `"` right after another: `""` would end the raw block, the field's storage steps turn
      `""` into `''`, and `&quot;` is decoded back to `"`;
    - a `[` before `|` or a digit: the table (`[|…|]`) and progress bar (`[50%]`) formatters
      work on the page's HTML;
    - a `{` before `{`: `{{toc` anywhere in a page rewrites every `==` of it, `{{attach` in an
      entry is rewritten on saving;
    - an `@` after `\\`: the storage steps turn a stored `\\@\\@\\` into `@@`.

    The text is not cleaned here (see `clean_keeping_layout`).
    """
    out = []
    before = ""
    for i, ch in enumerate(value):
        after = value[i + 1] if i + 1 < len(value) else ""
        if ch == "&":
            out.append("&amp;")
        elif ch == "<":
            out.append("&lt;")
        elif ch == ">":
            out.append("&gt;")
        elif (
            (ch == '"' and before == '"')
            or (ch == "[" and (after == "|" or after in _DIGITS))
            or (ch == "{" and after == "{")
            or (ch == "@" and before == "\\")
        ):
            out.append(_BROKEN.format(ch))
        else:
            out.append(ch)
        before = ch
    return "".join(out)


def escape_line(value: str) -> str:
    """A title or a label on one line."""
    return escape(clean_line(value))


# Themes side by side on a line, as zones (model.MAX_COLUMNS_PER_ROW).
_THEMES_PER_LINE = 4


def _raw(lines: Iterable[str]) -> str:
    """One raw block: well-formed HTML on its own (the purifier would close what it leaves open)."""
    return '""' + "\n".join(lines) + '""'


def _card(note: ExportNote, locale: str) -> str:
    meta = []
    if votes := note_votes_text(locale, note.votes):
        meta.append(f"<strong>{votes}</strong>")
    if note.author:
        meta.append(f"<em>{escape_line(note.author)}</em>")
    if note.reactions:
        meta.append(escape(reactions_text(note.reactions)))
    text = _with_links(note.typed_text)
    parts = [f'<div class="ardoise-note" style="{_AS_TYPED}">{text}</div>']
    if meta:
        parts.append(f'<div class="ardoise-meta">{" · ".join(meta)}</div>')
    # Comments are text: escaped, their addresses not made links.
    parts.extend(
        '<div class="ardoise-commentaire">'
        + comment_text(
            locale, escape(c.text), f"<em>{escape_line(c.author)}</em>" if c.author else None
        )
        + "</div>"
        for c in note.comments
    )
    # Colours come from the fixed palette only: nothing a user typed is ever an attribute.
    color = hex_color(note.color)
    return (
        f'<div class="well well-sm ardoise-carte" style="background-color:{color};">'
        f"{''.join(parts)}</div>"
    )


def _with_links(text: str) -> str:
    """A note's text as `escape` makes it, its http(s) addresses as links (docs/board-schema.md,
    "Links in a note").

    The link is written as a Bazar's purifier stores it (`target="_blank"` and its own
    `rel="noreferrer noopener"`: it removes `nofollow`), so that an entry is stored as sent. The
    href holds no `"`, `<`, `>`, `[`, `{` or `\\` (percent-encoded), and its `@` are encoded too
    (`@@` is one of the sequences a Bazar rewrites before its purifier runs), so none of the
    sequences YesWiki acts on; an href that would give a post-formatter's class word (`+wow+`)
    stays text.
    """
    out = []
    for part in find_links(text):
        if part.href is None or _CLASS_WORD.search(f'"{part.href}"'):
            out.append(escape(part.text))
        else:
            href = part.href.replace("&", "&amp;").replace("@", "%40")
            out.append(f'<a href="{href}" {_LINK_ATTRS}>{escape(part.text)}</a>')
    return "".join(out)


def _columns(columns: list[tuple[str, tuple[ExportNote, ...]]], locale: str) -> list[str]:
    """Bootstrap columns (12 units) side by side, stacked on a narrow screen.

    Each column scrolls sideways on its own (`table-responsive`) when a word is wider than it:
    no style the purifier keeps can break such a word, and it would otherwise run over the
    next column.
    """
    size = 12 // max(1, len(columns))
    lines = ['<div class="row ardoise-colonnes">']
    for title, notes in columns:
        lines.append(f'<div class="col-sm-{size} ardoise-zone">')
        if title:
            lines.append(f'<h3 class="ardoise-colonne">{escape_line(title)}</h3>')
        lines.append('<div class="table-responsive">')
        lines.extend(_card(n, locale) for n in notes)
        lines.append("</div>")
        lines.append("</div>")
    lines.append("</div>")
    return lines


def _grid(block: GridBlock, locale: str) -> list[str]:
    width = f"width:{max(8, 85 // max(1, len(block.cols)))}%;"
    lines = ['<div class="table-responsive">', f'<table class="{_GRID_CLASS}">']
    if any(block.cols):
        heads = "".join(f'<th scope="col">{escape_line(c)}</th>' for c in block.cols)
        lines.extend(["<thead>", f"<tr><th></th>{heads}</tr>", "</thead>"])
    lines.append("<tbody>")
    for row, cells in zip(block.rows, block.cells, strict=True):
        lines.append(f'<tr><th scope="row" style="{_TOP}">{escape_line(row)}</th>')
        for cell in cells:
            lines.append(f'<td style="{_TOP}{width}">')
            lines.extend(_card(n, locale) for n in cell)
            lines.append("</td>")
        lines.append("</tr>")
    lines.extend(["</tbody>", "</table>", "</div>"])
    return lines


def _grid_block(block: GridBlock, locale: str) -> list[str]:
    """A grid as a table; without any row label, as columns (a table would open with an empty
    column)."""
    if any(block.rows) or len(block.rows) != 1:
        return _grid(block, locale)
    return _columns(list(zip(block.cols, block.cells[0], strict=True)), locale)


def _zone_columns(block: ColumnsBlock, locale: str) -> list[list[str]]:
    return [
        _columns([(zone.title, zone.notes) for zone in chunk], locale)
        for chunk in block.rows_of_columns()
    ]


def _legend(model: ExportModel) -> list[str]:
    """What each colour means: one small card of that colour per entry, under a bold title."""
    lines = [f'<div class="ardoise-legende"><strong>{legend_title(model.locale)}</strong>']
    for entry in model.legend:
        lines.append(
            f'<div class="well well-sm ardoise-legende-entree" '
            f'style="background-color:{hex_color(entry.color)};">'
            f"{entry.word} : {escape_line(entry.label)}</div>"
        )
    lines.append("</div>")
    return lines


def _unzoned(model: ExportModel) -> list[str]:
    notes = model.unzoned
    count = min(_UNZONED_COLUMNS, len(notes))
    return _columns([("", notes[i::count]) for i in range(count)], model.locale)


def render(model: ExportModel, *, standalone: bool = True, mark: str = "") -> str:
    """The page: a line with the date and totals, the zones, then the other notes.

    `standalone`: with the board's title as a heading, for a page of its own (a Bazar entry
    shows its own title). `mark`: an extra class on the first block, by which a publisher
    recognises its own entry (letters, digits and `-` only).
    """
    locale = model.locale
    date = format_date(model.exported_at, locale)
    totals = totals_text(locale, model.note_count, model.vote_total)
    blocks: list[str] = []
    if standalone:
        title = escape_line(model.title) or "Ardoise"
        blocks.append(_raw([f'<h1 class="ardoise-titre">{title}</h1>']))
        subtitle = label(locale, "subtitle").format(
            title=escape_line(model.title), date=date, totals=totals
        )
    else:
        subtitle = label(locale, "entry_subtitle").format(date=date, totals=totals)
    marks = f"ardoise-export {mark}".strip()
    blocks.append(_raw([f'<p class="{marks}"><em>{subtitle}</em></p>']))
    if model.legend:
        blocks.append(_raw(_legend(model)))
    if model.groups:
        # As zones are: columns with their titles as `<h3>`, at most four per line, under a
        # heading; only what the wiki keeps and the other parts already use.
        heading = f'<h3 class="ardoise-themes">{label(locale, "themes")}</h3>'
        themes = [
            (group_heading(locale, group.title or "…", group.votes), group.notes)
            for group in model.groups
        ]
        for start in range(0, len(themes), _THEMES_PER_LINE):
            lines = [heading] if start == 0 else []
            blocks.append(_raw(lines + _columns(themes[start : start + _THEMES_PER_LINE], locale)))
    for block in model.blocks:
        if isinstance(block, GridBlock):
            blocks.append(_raw(_grid_block(block, locale)))
        else:
            blocks.extend(_raw(lines) for lines in _zone_columns(block, locale))
    if model.unzoned:
        lines = []
        if model.blocks:
            lines.append(f'<h3 class="ardoise-autres">{label(locale, "unzoned")}</h3>')
        blocks.append(_raw(lines + _unzoned(model)))
    elif model.note_count == 0:
        blocks.append(_raw([f"<p><em>{label(locale, 'no_notes')}</em></p>"]))
    return "\n".join(blocks) + "\n"


def _file(source: ExportSource) -> bytes:
    return render(source.model).encode("utf-8")


FORMAT = ExportFormat("yeswiki", "text/plain; charset=utf-8", "yeswiki.txt", _file)
