"""Imported notes are placed by the rule the web client follows (docs/board-schema.md, "Where a
new note goes"): both run the cases of tests/support/placement_cases.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from server.boards.board_snapshot import Rect, Zone
from server.boards.export.placement import Placer

CASES = json.loads(
    (Path(__file__).parents[3] / "support" / "placement_cases.json").read_text("utf-8")
)["cases"]


def _zone(raw: dict[str, Any]) -> Zone:
    x, y, w, h = raw["rect"]
    return Zone(
        id=raw["id"],
        title="",
        hint=raw.get("hint", ""),
        rect=(x, y, w, h),
        color="",
        order=0.0,
        row="",
        col="",
    )


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_the_server_places_notes_as_the_web_client_does(case: dict[str, Any]) -> None:
    zones = tuple(_zone(z) for z in case["zones"])
    by_id = {z.id: z for z in zones}
    taken: list[Rect] = [(x, y, w, h) for x, y, w, h in case["notes"]]
    placer = Placer(zones, taken)
    placed = [
        list(placer.in_zone(by_id[zone_id]) if zone_id else placer.free_area())
        for zone_id in case["adds"]
    ]
    assert placed == case["expected"]


def test_a_large_import_into_one_zone_covers_no_note() -> None:
    """5,000 rows into one zone: its free slots, then beside it, then below the zones."""
    zone = _zone({"id": "z", "rect": [0, 0, 800, 600]})
    placer = Placer((zone,), [])
    rects = [placer.in_zone(zone) for _ in range(5000)]
    assert not _any_overlap(rects)


def _any_overlap(rects: list[Rect]) -> bool:
    """A sweep from left to right: each rectangle against those starting before its right edge."""
    ordered = sorted(rects)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if b[0] >= a[0] + a[2]:
                break
            if b[1] < a[1] + a[3] and a[1] < b[1] + b[3]:
                return True
    return False
