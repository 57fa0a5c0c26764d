"""The board's legend: what each palette colour means on this board (`meta.legend`).

The facilitators' layout document holds it; every reader goes through `read_legend`, so a label
that a stock client wrote longer, in a colour that is not the palette's, or as something other
than a string never reaches a screen or an export as more than `MAX_LEGEND_CHARS` of text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from server.boards.palette import PALETTE

# A label names a meaning ("idée", "frein", "question à creuser"), not a paragraph: it must fit
# next to a swatch in the toolbar and on one line of every export. The web client holds to it.
MAX_LEGEND_CHARS = 60

Legend = tuple[tuple[str, str], ...]


def read_legend(raw: Any) -> Legend:
    """`(palette name, label)` pairs in palette order; blank labels, unknown colours and values
    that are not strings are left out, labels trimmed and cut at `MAX_LEGEND_CHARS`."""
    if not isinstance(raw, Mapping):
        return ()
    pairs = []
    for color in PALETTE:
        value = raw.get(color)
        if not isinstance(value, str):
            continue
        text = " ".join(value.split())[:MAX_LEGEND_CHARS].strip()
        if text:
            pairs.append((color, text))
    return tuple(pairs)


def legend_json(legend: Legend) -> dict[str, str]:
    """The legend as the JSON view and the board file write it: `{palette name: label}`."""
    return dict(legend)
