"""The judge of `meta.legend` (server/boards/legend.py): what a write may turn the legend into."""

from __future__ import annotations

from typing import Any

import pytest

from server.boards.legend import MAX_LEGEND_CHARS, judge_legend, read_legend
from server.errors import ArdoiseError
from server.protocol import ErrorCode

LONG = "x" * (MAX_LEGEND_CHARS + 1)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (None, None),
        (None, {}),
        ({"yellow": "idée"}, None),  # the legend taken away: read as none
        (None, {"yellow": "idée", "pink": "é" * MAX_LEGEND_CHARS}),
        ({"yellow": "idée"}, {"yellow": ""}),  # a colour unnamed
        # A label stored before the rule (or by an old restore) does not block other changes.
        ({"yellow": LONG, "gold": 3}, {"yellow": LONG, "gold": 3, "pink": "frein"}),
    ],
)
def test_accepted(before: Any, after: Any) -> None:
    judge_legend(before, after)


@pytest.mark.parametrize(
    ("before", "after", "why"),
    [
        (None, {"yellow": LONG}, "at most 60 characters"),
        ({"yellow": "idée"}, {"yellow": "idée" + LONG}, "at most 60 characters"),
        (None, {"gold": "or"}, "palette colours only"),
        (None, {"yellow": 1}, "not a text"),
        (None, {"yellow": None}, "not a text"),
        (None, {"yellow": {"a": "b"}}, "not a text"),
        ({"yellow": "idée"}, "idée", "is a map"),
        (None, ["idée"], "is a map"),
    ],
)
def test_refused(before: Any, after: Any, why: str) -> None:
    with pytest.raises(ArdoiseError) as refused:
        judge_legend(before, after)
    assert refused.value.code is ErrorCode.INVALID
    assert why in str(refused.value)


def test_readers_still_cut_what_was_stored_before_the_judge() -> None:
    assert read_legend({"yellow": LONG, "gold": "or"}) == (("yellow", "x" * MAX_LEGEND_CHARS),)
