"""The board's legend: what each palette colour means on this board (`meta.legend`).

The facilitators' layout document holds it. The room refuses a write that would give it another
shape (`judge_legend`): a label longer than `MAX_LEGEND_CHARS`, a key that is not a palette name,
a value that is not a string. Every reader still goes through `read_legend`, so a label stored
before that judge (or restored from an old board) never reaches a screen or an export as more
than `MAX_LEGEND_CHARS` of text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from server.boards.palette import PALETTE
from server.errors import ArdoiseError
from server.protocol import ErrorCode

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


def judge_legend(before: Any, after: Any) -> None:
    """Raise ArdoiseError (`invalid`) when a write turned `meta.legend` from `before` into a shape
    its readers would have to repair. Only what the write changed is judged: a label stored long
    before this rule does not block the facilitator's other changes."""
    if after is None or after == before:
        return
    if not isinstance(after, Mapping):
        raise ArdoiseError(ErrorCode.INVALID, "meta.legend is a map of palette names to labels")
    old = before if isinstance(before, Mapping) else {}
    for color, label in after.items():
        if color in old and old[color] == label:
            continue
        if color not in PALETTE:
            raise ArdoiseError(
                ErrorCode.INVALID,
                f"meta.legend names palette colours only, not {str(color)[:40]!r}",
            )
        if not isinstance(label, str):
            raise ArdoiseError(ErrorCode.INVALID, f"the legend's label for {color} is not a text")
        if len(label) > MAX_LEGEND_CHARS:
            raise ArdoiseError(
                ErrorCode.INVALID,
                f"a legend label holds at most {MAX_LEGEND_CHARS} characters"
                f" ({color}: {len(label)})",
            )
