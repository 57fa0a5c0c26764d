"""A picture of the whole board as it looks: zones and notes at their places, to scale."""

from __future__ import annotations

import io
from collections.abc import Mapping
from functools import cache

from PIL import Image, ImageDraw, ImageFont, ImageOps

from server.boards.board_snapshot import BoardSnapshot, Rect, enclosing
from server.boards.export.fonts import font_files
from server.boards.export.labels import (
    comments_count,
    format_date,
    group_heading,
    label,
    legend_title,
    note_votes_text,
    reaction_words,
    totals_text,
)
from server.boards.export.model import ExportFormat, ExportModel, ExportNote, ExportSource
from server.boards.export.row_labels import RowLabel, row_labels
from server.boards.images import EncodedImage
from server.boards.palette import hex_color

# The longest side of the board part of the picture; bigger boards are scaled down.
MAX_SIDE = 3200
_MARGIN = 40
_HEADER = 96
_LEGEND_LINE = 28
_BACKGROUND = "#FAFAF7"
_ZONE_FILL = "#FFFFFF"
_ZONE_LINE = "#B0BEC5"
_INK = "#263238"
_MUTED = "#607D8B"
_ACCENT = "#0B5D6B"
# Sizes in board units (CSS pixels at zoom 1), scaled with the board.
_NOTE_FONT = 13.0
_ZONE_FONT = 18.0
# A grid's row labels, as the web client draws them (.zone-row-label).
_ROW_FONT = 28.0
_ROW_INK = "#2B2B2E"
_ROW_RULE = "#C9C8C1"
_ROW_RULE_WIDTH = 3.0
_ROW_PADDING = 4.0
_PADDING = 10.0
# A theme's frame around its notes, as the web client draws it: a margin, and a title band above.
_GROUP_MARGIN = 12.0
_GROUP_TITLE = 30.0
_GROUP_FONT = 16.0
_GROUP_LINE = "#0B5D6B"
# Text smaller than this many pixels cannot be read: it is left out rather than smudged.
_MIN_FONT_PX = 6


FontType = ImageFont.FreeTypeFont


@cache
def _font(style: str, size: int) -> FontType:
    files = font_files()
    path = {"regular": files.regular, "bold": files.bold, "italic": files.italic}[style]
    return ImageFont.truetype(str(path), size)


def _tint(color: str) -> str:
    """A much lighter shade, so that notes of the same colour stand out on their zone."""
    channels = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    light = [round(255 - (255 - c) * 0.35) for c in channels]
    return "#{:02X}{:02X}{:02X}".format(*light)


def _wrap(text: str, font: FontType, width: float) -> list[str]:
    """Lines that fit `width`, breaking words that are longer than a line."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if font.getlength(candidate) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = ""
            for ch in word:
                if font.getlength(line + ch) > width and line:
                    lines.append(line)
                    line = ""
                line += ch
        lines.append(line)
    return lines


def _cut(text: str, font: FontType, width: float) -> str:
    """The text shortened to fit `width` with an ellipsis after it (which says: there is more)."""
    while text and font.getlength(text + "…") > width:
        text = text[:-1]
    return text + "…"


def _one_line(text: str, font: FontType, width: float) -> str:
    return text if font.getlength(text) <= width else _cut(text, font, width)


def group_frames(board: BoardSnapshot) -> dict[str, Rect]:
    """Each theme's frame: around its notes, with room for its title above."""
    frames: dict[str, Rect] = {}
    for group in board.groups:
        rects = [n.rect for n in board.notes if n.group_id == group.id and n.rect]
        box = enclosing(rects)
        if box is not None:
            x, y, w, h = box
            m, t = _GROUP_MARGIN, _GROUP_TITLE
            frames[group.id] = (x - m, y - m - t, w + 2 * m, h + 2 * m + t)
    return frames


def _bounds(board: BoardSnapshot, labels: list[RowLabel]) -> Rect:
    rects = [z.rect for z in board.zones if z.rect] + [n.rect for n in board.notes if n.rect]
    rects += [label.rect for label in labels]
    rects += list(group_frames(board).values())
    box = enclosing(rects)
    if box is None:
        return (0.0, 0.0, 800.0, 400.0)
    left, top, width, height = box
    return (left, top, max(1.0, width), max(1.0, height))


def _text_block(
    draw: ImageDraw.ImageDraw,
    box: tuple[float, float, float, float],
    lines: list[tuple[str, FontType, str]],
) -> None:
    """Draw lines of (text, font, colour) from the top of the box; the last one that fits
    ends with an ellipsis when more did not fit."""
    x0, y0, x1, y1 = box
    fitting = 0
    y = y0
    for _, font, _ in lines:
        if y + font.size * 1.2 > y1:
            break
        y += font.size * 1.2
        fitting += 1
    y = y0
    for i, (text, font, fill) in enumerate(lines[:fitting]):
        if i == fitting - 1 and fitting < len(lines):
            text = _cut(text, font, x1 - x0)
        draw.text((x0, y), text, font=font, fill=fill)
        y += font.size * 1.2


def _draw_legend(draw: ImageDraw.ImageDraw, model: ExportModel, right: float) -> None:
    """Each colour's word on a swatch of its palette colour, then its label, on one line under
    the subtitle; what does not fit the picture's width is left out."""
    font = _font("regular", 15)
    x, y = float(_MARGIN), 88.0
    title = legend_title(model.locale)
    draw.text((x, y), title, font=_font("bold", 15), fill=_INK)
    x += draw.textlength(title, font=_font("bold", 15)) + 12
    for entry in model.legend:
        word_w = draw.textlength(entry.word, font=font)
        text = _one_line(entry.label, font, max(0.0, right - x - word_w - 24))
        if not text or x + word_w + 24 > right:
            break
        draw.rounded_rectangle(
            (x, y - 2, x + word_w + 12, y + 20), radius=4, fill=hex_color(entry.color)
        )
        draw.text((x + 6, y), entry.word, font=font, fill=_INK)
        x += word_w + 18
        draw.text((x, y), text, font=font, fill=_INK)
        x += draw.textlength(text, font=font) + 18


def _paste_picture(
    image: Image.Image, picture: EncodedImage, box: tuple[float, float, float, float]
) -> None:
    """The picture fitted in `box`, proportions kept, centred at its top."""
    x0, y0, x1, y1 = box
    width, height = int(x1 - x0), int(y1 - y0)
    if width < 2 or height < 2:
        return
    with Image.open(io.BytesIO(picture.data)) as opened:
        fitted = ImageOps.contain(opened.convert("RGBA"), (width, height))
    left = int(x0 + (width - fitted.width) / 2)
    image.paste(fitted, (left, int(y0)), fitted)


def render(
    board: BoardSnapshot, model: ExportModel, pictures: Mapping[str, EncodedImage] | None = None
) -> bytes:
    """The PNG: a title band, then the board; texts come from the model (cleaned, anonymised);
    an image note's picture from `pictures`, by id."""
    pictures = pictures or {}
    labels = row_labels(board.zones)
    left, top, width, height = _bounds(board, labels)
    scale = min(1.0, MAX_SIDE / max(width, height))
    image_w = int(width * scale) + 2 * _MARGIN
    # A legend takes one more line under the subtitle.
    header = _HEADER + (_LEGEND_LINE if model.legend else 0)
    image_h = int(height * scale) + 2 * _MARGIN + header
    image_w = max(image_w, 640)
    image = Image.new("RGB", (image_w, image_h), _BACKGROUND)
    draw = ImageDraw.Draw(image)

    def at(x: float, y: float) -> tuple[float, float]:
        return (_MARGIN + (x - left) * scale, header + _MARGIN + (y - top) * scale)

    locale = model.locale
    draw.text((_MARGIN, 18), model.title or "Ardoise", font=_font("bold", 30), fill=_ACCENT)
    subtitle = label(locale, "subtitle").format(
        title=model.title,
        date=format_date(model.exported_at, locale),
        totals=totals_text(locale, model.note_count, model.vote_total),
    )
    draw.text((_MARGIN, 58), subtitle, font=_font("italic", 15), fill=_MUTED)
    if model.legend:
        _draw_legend(draw, model, image_w - _MARGIN)

    zone_px = int(_ZONE_FONT * scale)
    for zone in board.zones:
        if zone.rect is None:
            continue
        x0, y0 = at(zone.rect[0], zone.rect[1])
        x1, y1 = at(zone.rect[0] + zone.rect[2], zone.rect[1] + zone.rect[3])
        fill = _tint(hex_color(zone.color)) if zone.color else _ZONE_FILL
        draw.rounded_rectangle(
            (x0, y0, x1, y1),
            radius=max(2, int(8 * scale)),
            fill=fill,
            outline=_ZONE_LINE,
            width=max(1, int(2 * scale)),
        )
        title = " ".join(zone.title.split())
        if zone_px >= _MIN_FONT_PX and title:
            pad = _PADDING * scale
            font = _font("bold", zone_px)
            lines = [(t, font, _INK) for t in _wrap(title, font, x1 - x0 - 2 * pad)[:2]]
            _text_block(draw, (x0 + pad, y0 + pad, x1 - pad, y1 - pad), lines)

    row_px = int(_ROW_FONT * scale)
    for row in labels:
        x0, y0 = at(row.rect[0], row.rect[1])
        x1, y1 = at(row.rect[0] + row.rect[2], row.rect[1] + row.rect[3])
        rule = max(1, int(_ROW_RULE_WIDTH * scale))
        draw.rectangle((x0, y1 - rule, x1, y1), fill=_ROW_RULE)
        if row_px >= _MIN_FONT_PX:
            pad = _ROW_PADDING * scale
            font = _font("bold", row_px)
            text = _one_line(row.text, font, x1 - x0 - 2 * pad)
            draw.text((x0 + pad, y1 - rule - pad), text, font=font, fill=_ROW_INK, anchor="ld")

    headings = {g.id: group_heading(locale, g.title or "…", g.votes) for g in model.groups}
    group_px = int(_GROUP_FONT * scale)
    for group_id, frame in group_frames(board).items():
        x0, y0 = at(frame[0], frame[1])
        x1, y1 = at(frame[0] + frame[2], frame[1] + frame[3])
        draw.rounded_rectangle(
            (x0, y0, x1, y1),
            radius=max(2, int(10 * scale)),
            outline=_GROUP_LINE,
            width=max(1, int(2 * scale)),
        )
        if group_px >= _MIN_FONT_PX:
            pad = _PADDING * scale
            font = _font("bold", group_px)
            text = _one_line(headings.get(group_id, "…"), font, x1 - x0 - 2 * pad)
            draw.text((x0 + pad, y0 + pad), text, font=font, fill=_GROUP_LINE)

    texts: dict[str, ExportNote] = {n.id: n for n in model.notes()}
    note_px = int(_NOTE_FONT * scale)
    for note in sorted(board.notes, key=lambda n: (n.z, n.created_at or 0.0, n.id)):
        shown = texts.get(note.id)
        if note.rect is None or shown is None:
            continue
        x0, y0 = at(note.rect[0], note.rect[1])
        x1, y1 = at(note.rect[0] + note.rect[2], note.rect[1] + note.rect[3])
        shadow = max(1, int(3 * scale))
        draw.rectangle((x0 + shadow, y0 + shadow, x1 + shadow, y1 + shadow), fill="#D5D5CF")
        draw.rectangle((x0, y0, x1, y1), fill=hex_color(shown.color))
        if note_px < _MIN_FONT_PX:
            continue
        pad = _PADDING * scale
        font = _font("regular", note_px)
        small = _font("italic", max(_MIN_FONT_PX, int(note_px * 0.85)))
        inner = x1 - x0 - 2 * pad
        picture = pictures.get(shown.image_id) if shown.image_id else None
        text = shown.caption if picture is not None else shown.text
        lines = [(t, font, _INK) for t in _wrap(text, font, inner)] if text else []
        footer: list[tuple[str, FontType, str]] = []
        if votes := note_votes_text(locale, shown.votes):
            footer.append((votes, _font("bold", note_px), _INK))
        if shown.author:
            footer.extend((t, small, _MUTED) for t in _wrap(shown.author, small, inner)[:1])
        # A picture has no room for a thread: the reactions in words and how many comments.
        talk = [reaction_words(locale, shown.reactions)] if shown.reactions else []
        talk += [comments_count(locale, len(shown.comments))] if shown.comments else []
        if talk:
            footer.extend((t, small, _MUTED) for t in _wrap(" · ".join(talk), small, inner)[:1])
        bottom = y1 - pad - sum(f.size * 1.2 for _, f, _ in footer)
        if picture is not None:
            # The caption keeps two lines at most under the picture.
            caption = sum(f.size * 1.2 for _, f, _ in lines[:2])
            _paste_picture(image, picture, (x0 + pad, y0 + pad, x1 - pad, bottom - caption))
            text_top = bottom - caption
        else:
            text_top = y0 + pad
        _text_block(draw, (x0 + pad, text_top, x1 - pad, bottom), lines)
        _text_block(draw, (x0 + pad, bottom, x1 - pad, y1), footer)

    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _file(source: ExportSource) -> bytes:
    return render(source.board, source.model, source.images)


FORMAT = ExportFormat("png", "image/png", "png", _file, uses_images=True)
