"""A board as plain JSON (GET /api/boards/{id}): layout, notes with their derived zone."""

from __future__ import annotations

from typing import Any

from server.boards.board_snapshot import BoardSnapshot, Note, zone_of
from server.boards.legend import legend_json
from server.protocol import Role


def board_json(
    board_id: str, board: BoardSnapshot, role: Role, votes: dict[str, int] | None = None
) -> dict[str, Any]:
    """`votes` are the tallies, only when the caller may see them (else None)."""
    notes = []
    for note in board.notes:
        zone = zone_of(note.rect, board.zones) if note.rect else None
        item: dict[str, Any] = {
            "id": note.id,
            "text": note.text,
            "rect": list(note.rect) if note.rect else None,
            "color": note.color,
            "createdAt": note.created_at,
            "z": note.z,
            "zone": zone.id if zone else None,
        }
        if not board.anonymous:
            item["author"] = note.author
            item["authorId"] = note.author_id
        if note.group_id:
            item["groupId"] = note.group_id
        item.update(talk_json(note, board.anonymous))
        if note.image_id:
            item["imageId"] = note.image_id
        notes.append(item)
    return {
        "id": board_id,
        "title": board.title,
        "template": board.template,
        "locale": board.locale,
        "locked": board.locked,
        "anonymous": board.anonymous,
        "role": role.value,
        "zones": [
            {
                "id": z.id,
                "title": z.title,
                "hint": z.hint,
                "rect": list(z.rect) if z.rect else None,
                "color": z.color,
                "order": z.order,
                "row": z.row,
                "col": z.col,
            }
            for z in board.zones
        ],
        "legend": legend_json(board.legend),
        "notes": notes,
        "votes": votes,
        "groups": [
            {"id": g.id, "title": g.title, "folded": g.folded, "createdAt": g.created_at}
            | ({} if board.anonymous else {"createdBy": g.created_by})
            for g in board.groups
        ],
    }


def talk_json(note: Note, anonymous: bool) -> dict[str, Any]:
    """A note's reactions (counts; who, unless anonymous) and comments, when it has any."""
    fields: dict[str, Any] = {}
    if note.reactions:
        fields["reactions"] = {emoji: len(ids) for emoji, ids in note.reactions}
        if not anonymous:
            fields["reactedBy"] = {emoji: list(ids) for emoji, ids in note.reactions}
    if note.comments:
        fields["comments"] = [
            {"id": c.id, "text": c.text, "createdAt": c.created_at}
            | ({} if anonymous else {"author": c.author, "authorId": c.author_id})
            for c in note.comments
        ]
    return fields
