"""What the lead facilitator sees of each table at a glance (docs/protocol.md section 2.10,
Overview), and the message they send to every table."""

from __future__ import annotations

from typing import Any

from pycrdt import Doc, Map

from server.boards.plain import plain_map
from server.boards.room import BoardRoom
from server.protocol import DocName, Role

MAX_BROADCAST_CHARS = 300


def table_overview(room: BoardRoom) -> dict[str, Any]:
    """Who is at the table (this process's connections, by the names they gave: a page that
    has not asked for one yet is not someone at the table), how many notes, its timer and lock."""
    named = {
        m.participant_id: m.name
        for m in room.members.values()
        if m.role is not Role.OBSERVER and m.name
    }
    people = sorted(named.values())
    layout = room.doc(DocName.LAYOUT)
    meta = plain_map(layout.get("meta", type=Map))
    timer = plain_map(layout.get("timer", type=Map))
    return {
        "people": people,
        "notes": len(room.note_ids()),
        "locked": meta.get("locked") is True,
        "round": meta.get("round") if isinstance(meta.get("round"), dict) else None,
        "timer": {key: timer.get(key) for key in ("label", "durationMs", "endsAt", "remainingMs")},
    }


def write_broadcast(layout: Doc[Any], text: str, at_ms: int) -> None:
    """`meta.broadcast`: the lead facilitator's message, shown once on every screen of the table."""
    layout.get("meta", type=Map)["broadcast"] = Map({"text": text, "at": at_ms})
