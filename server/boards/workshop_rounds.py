"""Rounds across a workshop's tables: starting one writes the same timer and prompt into every
table's layout at once (docs/protocol.md section 2.10, Rounds)."""

from __future__ import annotations

from typing import Any

from pycrdt import Doc, Map

from server.boards.workshop_plan import RoundPlan


def round_fields(index: int, planned: RoundPlan) -> dict[str, Any]:
    """What `meta.round` holds while a round runs (docs/board-schema.md)."""
    return {"index": index, "label": planned.label, "prompt": planned.prompt}


def start_round(
    layout: Doc[Any], index: int, planned: RoundPlan, ends_at_ms: int, lock_on_end: bool
) -> None:
    """The table's timer runs for the round (locking the table at its end if asked), its prompt
    is shown, and the table is open for writing."""
    meta = layout.get("meta", type=Map)
    meta["round"] = Map(round_fields(index, planned))
    meta["locked"] = False
    timer = layout.get("timer", type=Map)
    timer["label"] = planned.label
    timer["durationMs"] = planned.duration_ms
    timer["endsAt"] = ends_at_ms
    timer["remainingMs"] = None
    timer["lockOnEnd"] = lock_on_end
