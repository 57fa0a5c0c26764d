"""The legend (meta.legend) in every export: each colour's meaning, hostile labels as text."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from PIL import Image

from server.boards.export import csv_export, json_format, markdown, pdf, png, yeswiki
from server.boards.export.model import build_model
from server.boards.legend import MAX_LEGEND_CHARS
from server.boards.palette import PALETTE
from tests.support.yeswiki_page import notes, read, show
from tests.unit.boards.export.boards import EXPORTED_AT, roadmap, roadmap_with_legend
from tests.unit.boards.export.test_rendering import pdf_text, share_of

HOSTILE_PINK = 'frein <script>alert(1)</script> "" **gras** [[lien]] {{toc}}'


def test_legend_reads_palette_colours_only_trimmed_and_bounded() -> None:
    board = roadmap_with_legend()
    board.legend["orange"] = "x" * (MAX_LEGEND_CHARS + 40)
    board.legend["red"] = 42
    legend = dict(board.snapshot().legend)
    assert set(legend) == {"yellow", "orange", "pink", "blue", "purple"}  # no blank, no gold
    assert legend["orange"] == "x" * MAX_LEGEND_CHARS
    assert legend["pink"] == HOSTILE_PINK


def test_yeswiki_page_shows_each_meaning_as_typed_and_nothing_else() -> None:
    model = build_model(roadmap_with_legend().snapshot(), None, EXPORTED_AT)
    page = read(show(yeswiki.render(model)))
    entries = page.find("ardoise-legende-entree")
    assert [e.text() for e in entries] == [
        "jaune : idée",
        f"rose : {HOSTILE_PINK}",
        'bleu : =HYPERLINK("http://x")',
        "violet : évil",  # the bidi override is dropped
    ]
    assert [e.attrs["style"] for e in entries][:2] == [
        f"background-color:{PALETTE['yellow']};",
        f"background-color:{PALETTE['pink']};",
    ]
    # The legend is no note: the cards read the same as without it.
    plain = build_model(roadmap().snapshot(), None, EXPORTED_AT)
    assert notes(page) == notes(read(show(yeswiki.render(plain))))


def test_markdown_legend_is_one_line_of_escaped_text() -> None:
    text = markdown.render(build_model(roadmap_with_legend().snapshot(), None, EXPORTED_AT))
    line = next(line for line in text.splitlines() if line.startswith("Légende"))
    assert line.startswith("Légende : jaune : idée · rose : frein \\<script\\>")
    assert "\\[\\[lien\\]\\]" in line and "\\{\\{toc\\}\\}" in line


def test_csv_gives_each_note_the_meaning_of_its_colour_as_text() -> None:
    data = csv_export.render(build_model(roadmap_with_legend().snapshot(), None, EXPORTED_AT))
    rows = [line.split(";") for line in data.decode("utf-8-sig").splitlines()]
    column = rows[0].index("légende")  # before the theme column
    by_text = {row[3]: row[column] for row in rows[1:]}
    assert by_text["Cartographier les agents volontaires"] == "idée"
    # A formula in the legend is protected like every cell.
    assert by_text["Lancer un café « Riposte » mensuel"] == '"\'=HYPERLINK(""http://x"")"'
    assert by_text["Une idée posée hors de la grille"] == ""  # grey: no meaning given


def test_board_file_keeps_the_legend_and_a_restore_reads_it_back() -> None:
    board = roadmap_with_legend().snapshot()
    data = json.loads(json_format.render(board, None, EXPORTED_AT))
    assert data["board"]["legend"]["pink"] == HOSTILE_PINK
    restored = json_format.load(data, 5000, 2000)
    assert restored.legend == board.legend


def test_board_file_with_a_too_long_label_is_refused() -> None:
    data = json.loads(json_format.render(roadmap().snapshot(), None, EXPORTED_AT))
    data["board"]["legend"] = {"yellow": "x" * (MAX_LEGEND_CHARS + 1)}
    with pytest.raises(json_format.BoardFileError) as refused:
        json_format.load(data, 5000, 2000)
    assert "board.legend.yellow" in str(refused.value)
    data["board"]["legend"] = {"gold": "x" * 500, "yellow": "ok"}  # unknown colours: ignored
    assert json_format.load(data, 5000, 2000).legend == (("yellow", "ok"),)


def test_pdf_and_png_carry_the_legend(tmp_path: Path) -> None:
    board = roadmap_with_legend().snapshot()
    model = build_model(board, None, EXPORTED_AT)
    text = " ".join(pdf_text(pdf.render(model), tmp_path).split())
    assert "Légende : jaune idée · rose frein <script>alert(1)</script>" in text
    without = png.render(roadmap().snapshot(), build_model(roadmap().snapshot(), None, EXPORTED_AT))
    picture = Image.open(io.BytesIO(png.render(board, model))).convert("RGB")
    plain = Image.open(io.BytesIO(without)).convert("RGB")
    assert picture.height > plain.height
    band = picture.crop((0, 80, picture.width, 115))
    assert share_of(band, PALETTE["pink"]) > 0.01 and share_of(band, PALETTE["blue"]) > 0.005
