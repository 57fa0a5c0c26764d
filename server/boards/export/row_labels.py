"""Where a grid's row labels go in a picture of the board.

Why: a band's `row` text is not a zone (a note dropped on it would belong to it, docs/templates.md),
so nothing else places it; the web client draws it in the gap above the band's cells
(`web/src/board/row-labels.ts`), and a picture of the board must show it at the same place, or a
roadmap's rows cannot be told apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from server.boards.board_snapshot import Rect, Zone, enclosing

# Board units, as the web client's ROW_LABEL_HEIGHT and ROW_LABEL_GAP.
ROW_LABEL_HEIGHT = 48.0
ROW_LABEL_GAP = 8.0


@dataclass(frozen=True, slots=True)
class RowLabel:
    text: str
    rect: Rect


def row_labels(zones: Iterable[Zone]) -> list[RowLabel]:
    """One label per distinct non-blank `row`, spanning its cells, just above the highest."""
    bands: dict[str, list[Rect]] = {}
    for zone in zones:
        if zone.rect is not None and zone.row.strip():
            bands.setdefault(zone.row, []).append(zone.rect)
    labels = []
    for text, rects in bands.items():
        box = enclosing(rects)
        if box is None:
            continue
        left, top, width, _ = box
        rect = (left, top - ROW_LABEL_HEIGHT - ROW_LABEL_GAP, width, ROW_LABEL_HEIGHT)
        labels.append(RowLabel(" ".join(text.split()), rect))
    return labels
