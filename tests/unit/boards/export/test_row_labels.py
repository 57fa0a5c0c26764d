"""Where a grid's row labels go in a picture of the board (server/boards/export/row_labels.py)."""

from __future__ import annotations

import re
from pathlib import Path

from server.boards.board_snapshot import Zone
from server.boards.export.row_labels import ROW_LABEL_GAP, ROW_LABEL_HEIGHT, row_labels
from server.boards.templates.library import DEFAULT_TEMPLATES_DIR, layout_zones, load_templates

AXES = ("Animation du réseau", "Outils & ressources")


def _roadmap_zones() -> list[Zone]:
    template = load_templates(DEFAULT_TEMPLATES_DIR)["etapes-jalons"]
    return [
        Zone(z.id, z.title, z.hint, z.rect, z.color, z.order, z.row, z.col)
        for z in layout_zones(template, "fr", {"axes": AXES})
    ]


def test_each_row_of_a_roadmap_is_labelled_in_the_gap_above_its_cells() -> None:
    zones = _roadmap_zones()
    labels = row_labels(zones)
    assert [label.text for label in labels] == list(AXES)
    for label in labels:
        cells = [z.rect for z in zones if z.row == label.text and z.rect]
        assert len(cells) == 5
        left, top, width, height = label.rect
        assert left == min(c[0] for c in cells)
        assert left + width == max(c[0] + c[2] for c in cells)
        assert height == ROW_LABEL_HEIGHT
        # Above the band's cells, and clear of every cell of the band above it.
        assert top + height < min(c[1] for c in cells)
        above = [z.rect for z in zones if z.rect and z.rect[1] < top and z.row != label.text]
        assert all(c[1] + c[3] <= top for c in above)


def test_zones_without_a_row_get_no_label_and_spaces_in_a_row_are_one() -> None:
    zones = [
        Zone("a", "A", "", (0, 100, 100, 100), "", 1, "", ""),
        Zone("b", "B", "", (0, 300, 100, 100), "", 2, "   ", ""),
        Zone("c", "C", "", (200, 300, 100, 100), "", 3, " Axe\n deux ", "1 an"),
        Zone("d", "D", "", None, "", 4, "Sans place", ""),
    ]
    labels = row_labels(zones)
    assert [(label.text, label.rect) for label in labels] == [
        ("Axe deux", (200, 300 - ROW_LABEL_HEIGHT - 8, 100, ROW_LABEL_HEIGHT))
    ]


def test_the_picture_places_labels_as_the_board_does() -> None:
    # The web client draws them (web/src/board/row-labels.ts); the PNG must agree with it.
    client = (Path(__file__).parents[4] / "web/src/board/row-labels.ts").read_text("utf-8")
    sizes = re.findall(r"const (ROW_LABEL_HEIGHT|ROW_LABEL_GAP) = (\d+)", client)
    in_client = {name: float(value) for name, value in sizes}
    assert in_client == {"ROW_LABEL_HEIGHT": ROW_LABEL_HEIGHT, "ROW_LABEL_GAP": ROW_LABEL_GAP}
