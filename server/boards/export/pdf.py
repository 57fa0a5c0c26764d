"""An A4 report of a board to print: title, date, totals, then each zone's notes as cards."""

from __future__ import annotations

import io
from collections.abc import Mapping
from functools import cache
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    FrameBreak,
    Image,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from server.boards.export.fonts import font_files
from server.boards.export.labels import (
    comment_text,
    format_date,
    group_heading,
    label,
    legend_title,
    note_votes_text,
    reaction_words,
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
from server.boards.images import EncodedImage
from server.boards.palette import hex_color

_MARGIN = 14 * mm
# Four columns of cards and more are easier to read across a landscape page.
_LANDSCAPE_FROM_COLUMNS = 4
_UNZONED_COLUMNS = 3
_INK = colors.HexColor("#263238")
_MUTED = colors.HexColor("#607D8B")
_ACCENT = colors.HexColor("#0B5D6B")
# A card's padding on each side (_band's style): a picture takes the width that leaves.
_CARD_PADDING = 7
# An image note's picture is at most this high on the page, its proportions kept.
_MAX_PICTURE_HEIGHT = 70 * mm
_Pictures = Mapping[str, EncodedImage]


@cache
def _fonts() -> tuple[str, str, str]:
    """Register the TTF font once per process; returns the regular, bold and italic names."""
    files = font_files()
    names = ("Ardoise", "Ardoise-Bold", "Ardoise-Italic")
    for name, path in zip(names, (files.regular, files.bold, files.italic), strict=True):
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(
        names[0], normal=names[0], bold=names[1], italic=names[2], boldItalic=names[1]
    )
    return names


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold, italic = _fonts()
    return {
        "title": ParagraphStyle(
            "title", fontName=bold, fontSize=20, leading=24, textColor=_ACCENT, spaceAfter=4
        ),
        "subtitle": ParagraphStyle(
            "subtitle", fontName=italic, fontSize=9.5, leading=12, textColor=_MUTED, spaceAfter=10
        ),
        "heading": ParagraphStyle(
            "heading",
            fontName=bold,
            fontSize=13,
            leading=16,
            textColor=_ACCENT,
            spaceBefore=10,
            spaceAfter=4,
        ),
        "column": ParagraphStyle(
            "column", fontName=bold, fontSize=10.5, leading=13, textColor=_INK
        ),
        "card": ParagraphStyle(
            "card",
            fontName=regular,
            fontSize=9.5,
            leading=12.5,
            textColor=_INK,
            splitLongWords=1,
        ),
        "meta": ParagraphStyle(
            "meta", fontName=regular, fontSize=8.5, leading=11, textColor=_INK, spaceBefore=3
        ),
    }


def _markup(text: str) -> str:
    """Plain text as reportlab paragraph markup (which is XML-like): escaped, lines kept."""
    return xml_escape(text).replace("\n", "<br/>")


def _markup_with_links(text: str) -> str:
    """A note's text as paragraph markup, its http(s) addresses as links a PDF reader opens
    (docs/board-schema.md, "Links in a note"); the href holds no quote (percent-encoded)."""
    out = []
    for part in find_links(text):
        if part.href is None:
            out.append(_markup(part.text))
        else:
            href = xml_escape(part.href, {'"': "&quot;"})
            out.append(f'<a href="{href}" color="#0B5D6B"><u>{_markup(part.text)}</u></a>')
    return "".join(out)


def _picture(image: EncodedImage, width: float) -> Image:
    """The picture at the card's width (never enlarged past one point a pixel), proportions
    kept, at most _MAX_PICTURE_HEIGHT high."""
    scale = min(width / image.width, _MAX_PICTURE_HEIGHT / image.height, 1.0)
    return Image(
        io.BytesIO(image.data), width=image.width * scale, height=image.height * scale, mask="auto"
    )


def _card(
    note: ExportNote,
    locale: str,
    styles: dict[str, ParagraphStyle],
    pictures: _Pictures,
    width: float,
) -> list[Flowable]:
    parts: list[Flowable] = []
    picture = pictures.get(note.image_id) if note.image_id else None
    if picture is not None:
        parts.append(_picture(picture, width))
        if note.caption:
            parts.append(Paragraph(_markup_with_links(note.caption), styles["card"]))
    elif note.text:
        parts.append(Paragraph(_markup_with_links(note.text), styles["card"]))
    meta = []
    if votes := note_votes_text(locale, note.votes):
        meta.append(f"<b>{votes}</b>")
    if note.author:
        meta.append(f"<i>{_markup(note.author)}</i>")
    if note.reactions:
        meta.append(_markup(reaction_words(locale, note.reactions)))
    if meta:
        parts.append(Paragraph(" · ".join(meta), styles["meta"]))
    # Comments are text: escaped, their addresses not made links.
    parts.extend(
        Paragraph(
            "— "
            + comment_text(
                locale, _markup(c.text), f"<i>{_markup(c.author)}</i>" if c.author else None
            ),
            styles["meta"],
        )
        for c in note.comments
    )
    return parts


def _band(
    headers: list[str] | None,
    columns: list[tuple[ExportNote, ...]],
    width: float,
    locale: str,
    styles: dict[str, ParagraphStyle],
    pictures: _Pictures,
) -> Table:
    """Columns of cards: line i holds the i-th card of every column, so a page can break
    between cards (a table cell can never be split across pages, a table line can)."""
    data: list[list[Any]] = []
    style: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), _CARD_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), _CARD_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
    ]
    if headers is not None:
        data.append([Paragraph(_markup(h), styles["column"]) for h in headers])
        style.append(("LINEBELOW", (0, 0), (-1, 0), 1, _ACCENT))
    first = len(data)
    depth = max((len(c) for c in columns), default=0)
    column_width = width / max(1, len(columns))
    inner = column_width - 2 * _CARD_PADDING
    for i in range(depth):
        line: list[Any] = []
        for c, notes in enumerate(columns):
            if i < len(notes):
                line.append(_card(notes[i], locale, styles, pictures, inner))
                color = colors.HexColor(hex_color(notes[i].color))
                style.append(("BACKGROUND", (c, first + i), (c, first + i), color))
            else:
                line.append("")
        data.append(line)
    if len(data) == first:
        data.append(["" for _ in columns])
    # White lines between cards make them separate cards.
    style.append(("GRID", (0, first), (-1, -1), 5, colors.white))
    return Table(
        data,
        colWidths=[column_width] * len(columns),
        style=TableStyle(style),
        repeatRows=1 if headers is not None else 0,
        splitInRow=1,
        hAlign="LEFT",
    )


class _TitledBand(Flowable):
    """A heading (a roadmap's axis) over its band of cards, said again on every page the band
    reaches: a row broken across pages lost its axis name on the next page (issue 22)."""

    def __init__(self, title: str, continued: str, band: Flowable, style: ParagraphStyle) -> None:
        super().__init__()
        self._title = title
        self._continued = continued
        self._band = band
        self._style = style
        self._heading = Paragraph(_markup(title), style)
        self._heading_height = 0.0

    def _wrap_heading(self, width: float, height: float) -> float:
        _, self._heading_height = self._heading.wrap(width, height)
        return self._heading_height + self._style.spaceAfter

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        above = self._wrap_heading(availWidth, availHeight)
        _, band_height = self._band.wrap(availWidth, availHeight - above)
        self.width, self.height = availWidth, above + band_height
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        above = self._wrap_heading(availWidth, availHeight)
        parts = self._band.split(availWidth, availHeight - above)
        if len(parts) < 2:
            return []  # not even one line of cards fits under the heading: all on the next page
        first, *rest = parts
        # The rest starts on the next page: tried in what is left of this one (less than a
        # line of cards), it would be split again into a sliver under a second heading.
        return [
            _TitledBand(self._title, self._continued, first, self._style),
            FrameBreak(),
            *(_TitledBand(self._continued, self._continued, part, self._style) for part in rest),
        ]

    def getSpaceBefore(self) -> float:
        return float(self._style.spaceBefore)

    def draw(self) -> None:
        self._heading.drawOn(self.canv, 0, self.height - self._heading_height)
        self._band.drawOn(self.canv, 0, 0)


def _titled(title: str, band: Table, locale: str, styles: dict[str, ParagraphStyle]) -> _TitledBand:
    continued = label(locale, "continued").format(title=title)
    return _TitledBand(title, continued, band, styles["heading"])


def _widest(model: ExportModel) -> int:
    widths = [_UNZONED_COLUMNS if model.unzoned else 1]
    for block in model.blocks:
        if isinstance(block, GridBlock):
            widths.append(len(block.cols))
        else:
            widths.extend(len(chunk) for chunk in block.rows_of_columns())
    return max(widths)


def _legend_markup(model: ExportModel) -> str:
    """The legend on one line, each colour's word on its palette colour (never a user string)."""
    items = [
        f'<font backColor="{hex_color(e.color)}" color="#263238">&nbsp;{e.word}&nbsp;</font> '
        f"{_markup(e.label)}"
        for e in model.legend
    ]
    colon = " : " if model.locale == "fr" else ": "
    return f"<b>{legend_title(model.locale)}</b>{colon}" + " · ".join(items)


def _story(
    model: ExportModel, width: float, styles: dict[str, ParagraphStyle], pictures: _Pictures
) -> list[Any]:
    locale = model.locale
    subtitle = label(locale, "subtitle").format(
        title=model.title,
        date=format_date(model.exported_at, locale),
        totals=totals_text(locale, model.note_count, model.vote_total),
    )
    story: list[Any] = [
        Paragraph(_markup(model.title or "Ardoise"), styles["title"]),
        Paragraph(_markup(subtitle), styles["subtitle"]),
    ]
    if model.legend:
        story.append(Paragraph(_legend_markup(model), styles["subtitle"]))
    if model.groups:
        story.append(Paragraph(_markup(label(locale, "themes")), styles["heading"]))
    for group in model.groups:
        heading = group_heading(locale, _markup(group.title or "…"), group.votes)
        story.append(Paragraph(heading, styles["column"]))
        if group.notes:
            count = min(_UNZONED_COLUMNS, len(group.notes))
            columns = [group.notes[i::count] for i in range(count)]
            story.append(
                _band(None, columns, width * count / _UNZONED_COLUMNS, locale, styles, pictures)
            )
        story.append(Spacer(1, 8))
    for block in model.blocks:
        if isinstance(block, GridBlock):
            for row, cells in zip(block.rows, block.cells, strict=True):
                band = _band(list(block.cols), list(cells), width, locale, styles, pictures)
                story.append(_titled(row, band, locale, styles) if row else band)
                story.append(Spacer(1, 6))
        elif isinstance(block, ColumnsBlock):
            for chunk in block.rows_of_columns():
                headers = [z.title for z in chunk]
                story.append(
                    _band(headers, [z.notes for z in chunk], width, locale, styles, pictures)
                )
                story.append(Spacer(1, 10))
    if model.unzoned:
        count = min(_UNZONED_COLUMNS, len(model.unzoned))
        columns = [model.unzoned[i::count] for i in range(count)]
        band = _band(None, columns, width * count / _UNZONED_COLUMNS, locale, styles, pictures)
        if model.blocks:
            story.append(_titled(label(locale, "unzoned"), band, locale, styles))
        else:
            story.append(band)
    elif model.note_count == 0:
        story.append(Paragraph(_markup(label(locale, "no_notes")), styles["card"]))
    return story


def render(model: ExportModel, pictures: _Pictures | None = None) -> bytes:
    """The PDF file; the same model and pictures give the same bytes (no clock, no random id
    inside). `pictures`: the board's, by id, drawn in their image notes."""
    styles = _styles()
    regular = _fonts()[0]
    pagesize = landscape(A4) if _widest(model) >= _LANDSCAPE_FROM_COLUMNS else A4
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=_MARGIN,
        rightMargin=_MARGIN,
        topMargin=_MARGIN,
        bottomMargin=_MARGIN + 4 * mm,
        title=model.title,
        author="Ardoise",
        creator="Ardoise",
        invariant=1,
    )
    footer_text = f"{model.title[:90]} — {format_date(model.exported_at, model.locale)}"

    def footer(canvas: Canvas, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(regular, 8)
        canvas.setFillColor(_MUTED)
        canvas.drawString(_MARGIN, _MARGIN, footer_text)
        canvas.drawRightString(pagesize[0] - _MARGIN, _MARGIN, str(document.page))
        canvas.restoreState()

    story = _story(model, doc.width, styles, pictures or {})
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _file(source: ExportSource) -> bytes:
    return render(source.model, source.images)


FORMAT = ExportFormat("pdf", "application/pdf", "pdf", _file, uses_images=True)
