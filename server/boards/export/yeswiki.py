"""YesWiki markup of a board: columns side by side, a table for grids, notes as coloured cards."""

from __future__ import annotations

import re

from server.boards.export.labels import format_date, label, totals_text, votes_text
from server.boards.export.model import (
    ColumnsBlock,
    ExportFormat,
    ExportModel,
    ExportNote,
    ExportSource,
    GridBlock,
)
from server.boards.export.text import clean_text
from server.boards.palette import hex_color

# Characters written as numeric character references wherever they appear (see `escape`).
_ALWAYS = frozenset('&<>"*#@£_/%[]{}|=~`\\')
# `[A-Z][a-z]+[A-Z0-9]`: where YesWiki's CamelCase auto-link (WN_WIKI_LINK) could start.
_CAMEL = re.compile(r"(?=[A-Z][a-z]+[A-Z0-9])")
_UNZONED_COLUMNS = 3
_CARD_CLASS = "well well-sm"


def _ref(ch: str) -> str:
    return f"&#{ord(ch)};"


def escape(value: str) -> str:
    """User text as YesWiki markup that renders exactly that text and nothing else.

    YesWiki's formatter (formatters/wakka.php) passes numeric character references such as
    `&#42;` through untouched and the browser shows the character, while the formatter never
    sees it. So every character that could start a construct is written as such a reference:

    - always: `&` (so a user's own `&lt;` stays literal), `<` `>` `"` (raw HTML, and `""…""`
      raw sections), `*` `/` `_` `#` `@` `£` (`**bold**`, `//italic//`, `__underline__`,
      `##mono##`, `@@deleted@@`, `££inserted££`), `%` (`%%code%%`), `[` `]` (`[[links]]`,
      `[|tables|]`), `{` `}` (`{{actions}}`), `|` (table cells: the table post-formatter splits
      the rendered HTML on every `|`), `=` (`==headings==`), `~` `` ` `` `\\`;
    - `-` next to another `-`, or at the start or end of a line (`---` line break, `----` rule,
      `- ` list items, and our own markup around the text);
    - `:` after a letter or digit (`scheme://` auto-links, `Wiki:Page` interwiki links);
    - the capital that starts `[A-Z][a-z]+[A-Z0-9]` (CamelCase words become wiki links);
    - `!` at the very start (a table cell starting with `!…!` takes HTML attributes).

    Control characters, bidi overrides, tabs and leading blanks are removed first
    (`clean_text`): a line starting with a space or a tab would open a list. Newlines stay, and
    YesWiki renders each one as a line break.
    """
    text = clean_text(value)
    camel = {m.start() for m in _CAMEL.finditer(text)}
    last = len(text) - 1
    out = []
    for i, ch in enumerate(text):
        before = text[i - 1] if i > 0 else ""
        after = text[i + 1] if i < last else ""
        if (
            ch in _ALWAYS
            or i in camel
            or (ch == "-" and (before in ("", "\n") or after in ("", "\n", "-") or before == "-"))
            or (ch == ":" and before.isascii() and before.isalnum())
            or (ch == "!" and i == 0)
        ):
            out.append(_ref(ch))
        else:
            out.append(ch)
    return "".join(out)


def escape_line(value: str) -> str:
    """A title or a label: one line (a newline inside a heading would end it)."""
    return escape(" ".join(clean_text(value).split()))


def _card(note: ExportNote, locale: str) -> str:
    meta = []
    if note.votes is not None:
        meta.append(f"**{votes_text(locale, note.votes)}**")
    if note.author:
        meta.append(f"//{escape_line(note.author)}//")
    body = escape(note.text)
    if meta:
        body = f"{body}\n{' · '.join(meta)}" if body else " · ".join(meta)
    # Colours come from the fixed palette only: action parameters reach the HTML as they are.
    color = hex_color(note.color)
    return (
        f'{{{{section bgcolor="{color}" class="{_CARD_CLASS}" nocontainer="1"}}}}'
        f'{body}{{{{end elem="section"}}}}'
    )


def _columns(columns: list[list[str]]) -> list[str]:
    """Bootstrap columns (12 units) side by side; each entry is a list of markup lines."""
    size = 12 // max(1, len(columns))
    lines = ["{{grid}}"]
    for content in columns:
        lines.append(f'{{{{col size="{size}"}}}}')
        lines.extend(content)
        lines.append('{{end elem="col"}}')
    lines.append('{{end elem="grid"}}')
    return lines


def _bold(value: str) -> str:
    return f"**{escape_line(value)}**" if value else ""


def _grid(block: GridBlock, locale: str) -> list[str]:
    # Every row sits on one line of markup: the table post-formatter ends a row at the first
    # line that ends with `|`, and cards never end a line with one.
    lines = ["[| ardoise-grille"]
    lines.append("||" + "|".join(_bold(c) for c in block.cols) + "|")
    for row, cells in zip(block.rows, block.cells, strict=True):
        head = _bold(row)
        body = "|".join("".join(_card(n, locale) for n in cell) for cell in cells)
        lines.append(f"|{head}|{body}|")
    lines.append("|]")
    return lines


def _zone_columns(block: ColumnsBlock, locale: str) -> list[str]:
    lines: list[str] = []
    for chunk in block.rows_of_columns():
        columns = []
        for zone in chunk:
            content = [f"===={escape_line(zone.title)}===="] if zone.title else []
            content.extend(_card(n, locale) for n in zone.notes)
            columns.append(content)
        lines.extend(_columns(columns))
    return lines


def _unzoned(model: ExportModel) -> list[str]:
    notes = model.unzoned
    count = min(_UNZONED_COLUMNS, len(notes))
    columns = [[_card(n, model.locale) for n in notes[i::count]] for i in range(count)]
    return _columns(columns) if columns else []


def render(model: ExportModel) -> str:
    """The page: title, a line with the date and totals, the zones, then the other notes."""
    locale = model.locale
    subtitle = label(locale, "subtitle").format(
        title=escape_line(model.title),
        date=format_date(model.exported_at, locale),
        totals=totals_text(locale, model.note_count, model.vote_total),
    )
    title = escape_line(model.title) or "Ardoise"
    lines = [f"======{title}======", f"//{subtitle}//", ""]
    for block in model.blocks:
        if isinstance(block, GridBlock):
            lines.extend(_grid(block, locale))
        else:
            lines.extend(_zone_columns(block, locale))
        lines.append("")
    if model.unzoned:
        if model.blocks:
            lines.append(f"===={label(locale, 'unzoned')}====")
        lines.extend(_unzoned(model))
    elif model.note_count == 0:
        lines.append(f"//{label(locale, 'no_notes')}//")
    return "\n".join(lines).rstrip("\n") + "\n"


def _file(source: ExportSource) -> bytes:
    return render(source.model).encode("utf-8")


FORMAT = ExportFormat("yeswiki", "text/plain; charset=utf-8", "yeswiki.txt", _file)
