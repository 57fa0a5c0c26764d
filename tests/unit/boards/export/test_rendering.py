"""The PDF and the PNG, rendered and read back: pdftoppm and pdftotext (poppler-utils)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from PIL import Image, ImageFont

from server.boards.board_snapshot import BoardSnapshot
from server.boards.export import pdf, png
from server.boards.export.fonts import font_files
from server.boards.export.model import build_model
from server.boards.palette import PALETTE
from server.boards.templates.library import DEFAULT_TEMPLATES_DIR, layout_zones, load_templates
from tests.unit.boards.export.boards import (
    EXPORTED_AT,
    PICTURES,
    ROADMAP_VOTES,
    THEMES_VOTES,
    BoardBuilder,
    columns_board,
    images_board,
    roadmap,
    roadmap_with_talk,
    themes_board,
    three_columns,
)
from tests.unit.boards.export.test_escaping import hostile_text


def _poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        message = f"{tool} (Debian package poppler-utils) is needed to read the PDF back"
        if os.environ.get("ARDOISE_REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return path


def pdf_text(data: bytes, tmp_path: Path) -> str:
    source = tmp_path / "board.pdf"
    source.write_bytes(data)
    out = subprocess.run([_poppler("pdftotext"), str(source), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def pdf_pages(data: bytes, tmp_path: Path) -> list[Image.Image]:
    source = tmp_path / "board.pdf"
    source.write_bytes(data)
    subprocess.run(
        [_poppler("pdftoppm"), "-r", "50", "-png", str(source), str(tmp_path / "page")],
        check=True,
        capture_output=True,
    )
    return [Image.open(p).convert("RGB") for p in sorted(tmp_path.glob("page-*.png"))]


def share_of(image: Image.Image, hex_color: str) -> float:
    """The share of the picture's pixels within a small distance of a colour."""
    target = tuple(int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    small = image.resize((image.width // 2 or 1, image.height // 2 or 1))
    pixels = list(small.get_flattened_data())
    close = sum(1 for p in pixels if sum(abs(a - b) for a, b in zip(p, target, strict=True)) < 12)
    return close / len(pixels)


def _pdf(board: BoardSnapshot, votes: dict[str, int] | None) -> bytes:
    return pdf.render(build_model(board, votes, EXPORTED_AT))


def test_roadmap_report_has_title_date_zones_cards_and_votes(tmp_path: Path) -> None:
    data = _pdf(roadmap().snapshot(), ROADMAP_VOTES)
    assert data.startswith(b"%PDF")
    text = pdf_text(data, tmp_path)
    for expected in (
        "Coopérations entre collectivités",
        "22/11/2026",
        "9 post-it, 23 votes",
        "Animation du réseau",
        "Outils & ressources",
        "1 mois",
        "Idéal",
        "Binômes inter-collectivités",
        "5 votes",
        "Camille",
        "Budget mutualisé > 50 k€ ** à confirmer **",
        "Autres post-it",
    ):
        assert expected in " ".join(text.split()) or expected in text, expected
    pages = pdf_pages(data, tmp_path)
    assert len(pages) == 1
    assert pages[0].width > pages[0].height  # five columns: landscape
    for color in ("yellow", "blue", "green", "pink", "orange"):
        assert share_of(pages[0], PALETTE[color]) > 0.002, color


def test_anonymous_report_names_nobody(tmp_path: Path) -> None:
    board = roadmap()
    board.anonymous = True
    text = pdf_text(_pdf(board.snapshot(), None), tmp_path)
    assert "Camille" not in text and "Léa" not in text and "vote" not in text
    assert "Cartographier" in text


def test_three_column_report_is_portrait_and_english_board_in_english(tmp_path: Path) -> None:
    pages = pdf_pages(_pdf(three_columns().snapshot(), None), tmp_path)
    assert pages[0].height > pages[0].width
    text = pdf_text(_pdf(columns_board().snapshot(), {"k1": 1}), tmp_path)
    assert "Export of the board" in text and "1 vote" in text and "Other sticky notes" in text


def test_long_notes_flow_onto_more_pages(tmp_path: Path) -> None:
    board = BoardBuilder("Beaucoup de notes")
    board.zone("z", "Idées", [0, 0, 4000, 4000])
    for i in range(60):
        board.note(f"n{i:02}", f"Idée numéro {i} " + "très longue " * 40, 10 + i * 5, 10 + i * 5)
    text = pdf_text(_pdf(board.snapshot(), None), tmp_path)
    assert "Idée numéro 0 " in text and "Idée numéro 59 " in text
    assert len(pdf_pages(_pdf(board.snapshot(), None), tmp_path)) > 3


def _page_texts(data: bytes, tmp_path: Path) -> list[str]:
    """The text of each page, spaces collapsed (pdftotext ends each page with a form feed)."""
    return [" ".join(page.split()) for page in pdf_text(data, tmp_path).split("\f")[:-1]]


@pytest.mark.parametrize(
    ("locale", "continued"), [("fr", "Axe 2 (suite)"), ("en", "Axe 2 (continued)")]
)
def test_a_roadmap_row_broken_across_pages_names_its_axis_on_each(
    tmp_path: Path, locale: str, continued: str
) -> None:
    # Issue 22, point 6: the page after a break showed cards under the horizons' titles, with
    # nothing saying which axis they belonged to.
    board = BoardBuilder("Feuille de route", locale=locale)
    for r, axis in enumerate(["Axe 1", "Axe 2", "Axe 3"]):
        for c, horizon in enumerate(["1 mois", "6 mois", "1 an", "Idéal"]):
            rect = [300 * c, 1000 * r, 300, 1000]
            board.zone(f"cell-{r}-{c}", horizon, rect, row=axis, col=horizon)
    for i in range(24):  # axis 2, first column: far more than a page
        board.note(f"n{i:02}", f"Idée {i:02} " + "assez longue " * 12, 10, 1010 + i * 30)
    board.note("last", "Dernière idée", 310, 2010 + 0)
    pages = _page_texts(_pdf(board.snapshot(), None), tmp_path)
    assert len(pages) >= 2
    broken = [i for i, page in enumerate(pages) if "Idée" in page and "Axe 2" not in page]
    assert broken == [], f"pages without their axis: {broken}"
    first = next(i for i, page in enumerate(pages) if "Idée 00" in page)
    assert "Axe 2" in pages[first] and continued not in pages[first]
    assert all(continued in page for page in pages[first + 1 :] if "Idée" in page)
    assert any(continued in page for page in pages[first + 1 :])


def test_board_picture_shows_zones_and_notes_in_their_colours() -> None:
    board = roadmap().snapshot()
    data = png.render(board, build_model(board, ROADMAP_VOTES, EXPORTED_AT))
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    assert 1000 < image.width <= png.MAX_SIDE + 200
    rgb = image.convert("RGB")
    for color in ("yellow", "blue", "green", "pink", "orange", "grey"):
        assert share_of(rgb, PALETTE[color]) > 0.003, color
    # The title band is drawn in the accent colour.
    assert share_of(rgb.crop((0, 0, rgb.width, 60)), "#0B5D6B") > 0.005


def _ink_bands(image: Image.Image, hex_color: str) -> list[tuple[int, int, int, int]]:
    """Boxes (left, top, right, bottom) of the horizontal bands holding pixels of one colour."""
    target = tuple(int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    rgb = image.convert("RGB")
    pixels = rgb.tobytes()
    bands: list[tuple[int, int, int, int]] = []
    for y in range(rgb.height):
        row = pixels[y * rgb.width * 3 : (y + 1) * rgb.width * 3]
        xs = [
            x
            for x in range(rgb.width)
            if sum(abs(row[3 * x + i] - target[i]) for i in range(3)) < 12
        ]
        if not xs:
            continue
        if bands and bands[-1][3] == y - 1:
            left, top, right, _ = bands[-1]
            bands[-1] = (min(left, xs[0]), top, max(right, xs[-1]), y)
        else:
            bands.append((xs[0], y, xs[-1], y))
    return bands


def test_board_picture_labels_each_row_of_a_roadmap() -> None:
    template = load_templates(DEFAULT_TEMPLATES_DIR)["etapes-jalons"]
    axes = ("Animation du réseau", "Outils & ressources partagés entre collectivités")
    board = BoardBuilder("Feuille de route", template="etapes-jalons")
    for zone in layout_zones(template, "fr", {"axes": axes}):
        board.zone(zone.id, zone.title, list(zone.rect), row=zone.row, col=zone.col)
    board.note("n1", "Cartographier les agents", 60, 160)
    snapshot = board.snapshot()
    image = Image.open(io.BytesIO(png.render(snapshot, build_model(snapshot, None, EXPORTED_AT))))

    labels = _ink_bands(image, "#2B2B2E")
    assert len(labels) == 2, labels
    bold = ImageFont.truetype(str(font_files().bold), 28)
    for (left, _, right, _), axis in zip(labels, axes, strict=True):
        # The whole text at the board's scale (1 here), not a cut or shrunk one.
        assert abs((right - left + 1) - bold.getlength(axis)) < 0.1 * bold.getlength(axis), axis
    # The first label is inside the board's part of the picture, below the subtitle.
    subtitle = _ink_bands(image, "#607D8B")
    assert subtitle and subtitle[0][3] < labels[0][1]


def test_huge_board_is_scaled_down() -> None:
    board = BoardBuilder("Immense").note("a", "loin", 0, 0).note("b", "très loin", 90_000, 40_000)
    snapshot = board.snapshot()
    image = Image.open(io.BytesIO(png.render(snapshot, build_model(snapshot, None, EXPORTED_AT))))
    assert max(image.size) <= png.MAX_SIDE + 200


@given(hostile_text, hostile_text)
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_hostile_text_never_breaks_the_pdf_or_the_png(text: str, author: str) -> None:
    board = BoardBuilder(f"T {text[:50]}")
    board.zone("z", text, [0, 0, 600, 600], row=text)
    board.note("a", text, 10, 60, author=author).note("b", text + "😀" * 5, 300, 300)
    snapshot = board.snapshot()
    model = build_model(snapshot, {"a": 2}, EXPORTED_AT)
    assert pdf.render(model).startswith(b"%PDF")
    assert png.render(snapshot, model).startswith(b"\x89PNG")


def test_themes_in_the_pdf_and_the_png(tmp_path: Path) -> None:
    """The PDF lists each theme with its votes over its notes; the PNG frames a theme's notes."""
    board = themes_board().snapshot()
    text = pdf_text(_pdf(board, THEMES_VOTES), tmp_path)
    assert text.index("Thèmes") < text.index("Réunions — 1 vote") < text.index("Keep")
    assert "<b>Outils</b> **gras** [[lien]] =1+1 — 4 votes" in text
    assert text.index("Réunions — 1 vote") < text.index("Shorter stand-ups") < text.index("Keep")
    plain = png.render(board, build_model(board, None, EXPORTED_AT))
    themed = Image.open(io.BytesIO(plain)).convert("RGB")
    without = themes_board()
    without.groups.clear()
    bare = without.snapshot()
    untouched = Image.open(io.BytesIO(png.render(bare, build_model(bare, None, EXPORTED_AT))))

    # The frames and titles are drawn in the accent colour, below the title band.
    def framed(image: Image.Image) -> float:
        return share_of(image.convert("RGB").crop((0, 100, image.width, image.height)), "#0B5D6B")

    assert framed(untouched) == 0 < framed(themed)


def test_reactions_and_comments_in_the_pdf_and_the_png(tmp_path: Path) -> None:
    """The PDF shows the reactions in words (its font has no emoji) and each comment as text,
    its author but on an anonymous board; the PNG adds a line to the notes that have any."""
    board = roadmap_with_talk().snapshot()
    text = " ".join(pdf_text(_pdf(board, None), tmp_path).split())
    assert "pour 3 · idée 2" in text and "question 1" in text
    assert "— Inès : Qui le porte ?" in text
    assert '=HYPERLINK("http://x") <script>alert(1)</script> "" **gras** [[lien]]' in text
    assert text.index("Cartographier") < text.index("Qui le porte") < text.index("HYPERLINK")
    assert "Sur un post-it supprimé" not in text
    anonymous = roadmap_with_talk(anonymous=True).snapshot()
    hidden = " ".join(pdf_text(_pdf(anonymous, None), tmp_path).split())
    assert "— Qui le porte ?" in hidden and "Inès" not in hidden and "Hugo" not in hidden
    talk = png.render(board, build_model(board, None, EXPORTED_AT))
    bare = roadmap().snapshot()
    quiet = png.render(bare, build_model(bare, None, EXPORTED_AT))
    assert Image.open(io.BytesIO(talk)).size == Image.open(io.BytesIO(quiet)).size
    assert talk != quiet


def test_image_notes_are_drawn_in_the_pdf_and_the_png(tmp_path: Path) -> None:
    """The picture in its note, proportions kept, the caption with it; a note whose picture is
    missing says it was an image. Without the pictures, nothing of them is drawn."""
    board = images_board().snapshot()
    model = build_model(board, None, EXPORTED_AT)
    report = pdf.render(model, PICTURES)
    text = pdf_text(report, tmp_path)
    assert "Le mur des idées <b>" in text and "[Image] Photo perdue" in text
    assert "[Image] Le mur des idées" not in text  # the picture is drawn: its caption alone
    page = pdf_pages(report, tmp_path)[0]
    assert share_of(page, "#FF00FF") > 0.01 and share_of(page, "#00FFFF") > 0.01
    (tmp_path / "bare").mkdir()
    bare = pdf_pages(pdf.render(model), tmp_path / "bare")[0]
    assert share_of(bare, "#FF00FF") == 0

    picture = Image.open(io.BytesIO(png.render(board, model, PICTURES))).convert("RGB")
    assert share_of(picture, "#FF00FF") > 0.01 and share_of(picture, "#00FFFF") > 0.003
    # The wide picture keeps its proportions: twice as wide as high in its note.
    magenta = _ink_bands(picture, "#FF00FF")
    left, top, right, bottom = magenta[0][0], magenta[0][1], magenta[-1][2], magenta[-1][3]
    assert abs((right - left + 1) / (bottom - top + 1) - 2.0) < 0.1
    # ...and lies inside its note (yellow), at its top.
    yellow = _ink_bands(picture, PALETTE["yellow"])
    note_left, note_top = min(b[0] for b in yellow), yellow[0][1]
    note_right, note_bottom = max(b[2] for b in yellow), yellow[-1][3]
    assert note_left < left < right < note_right and note_top < top < bottom < note_bottom
    assert top - note_top < 20
    plain = Image.open(io.BytesIO(png.render(board, model))).convert("RGB")
    assert share_of(plain, "#FF00FF") == 0
