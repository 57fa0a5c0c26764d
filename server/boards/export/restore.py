"""Writing boards and notes into Yjs documents (JSON import, CSV import), in the shape of
docs/board-schema.md."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pycrdt import Doc, Map, Text

from server.boards.board_snapshot import BoardSnapshot, Group, Note
from server.boards.reaction_changes import reaction_key


def write_layout(doc: Doc[Any], board: BoardSnapshot) -> None:
    """Make the layout document say what the file says: meta settings and exactly its zones."""
    with doc.transaction():
        meta = doc.get("meta", type=Map)
        meta["title"] = board.title
        meta["template"] = board.template
        meta["locale"] = board.locale
        meta["locked"] = board.locked
        meta["anonymous"] = board.anonymous
        meta["voting"] = Map(
            {
                "state": board.voting.state,
                "secret": board.voting.secret,
                "revealed": board.voting.revealed,
                "budget": board.voting.budget,
            }
        )
        meta["legend"] = Map(dict(board.legend))
        zones = doc.get("zones", type=Map)
        for zone_id in list(zones.keys()):
            del zones[zone_id]
        for zone in board.zones:
            fields: dict[str, Any] = {
                "title": zone.title,
                "hint": zone.hint,
                "color": zone.color,
                "order": zone.order,
                "row": zone.row,
                "col": zone.col,
            }
            if zone.rect is not None:
                fields["rect"] = list(zone.rect)
            zones[zone.id] = Map(fields)


def write_groups(doc: Doc[Any], groups: Iterable[Group]) -> None:
    """Add (or replace) groups (themes) in the notes document, in one transaction."""
    with doc.transaction():
        target = doc.get("groups", type=Map)
        for group in groups:
            fields: dict[str, Any] = {
                "title": group.title,
                "createdBy": group.created_by,
                "folded": group.folded,
            }
            if group.created_at is not None:
                fields["createdAt"] = group.created_at
            target[group.id] = Map(fields)


def write_notes(doc: Doc[Any], notes: Iterable[Note]) -> None:
    """Add (or replace) notes in the notes document, with their reactions and comments, in one
    transaction."""
    with doc.transaction():
        target = doc.get("notes", type=Map)
        reactions = doc.get("reactions", type=Map)
        comments = doc.get("comments", type=Map)
        for note in notes:
            fields: dict[str, Any] = {
                "text": Text(note.text),
                "color": note.color,
                "authorId": note.author_id,
                "author": note.author,
                "z": note.z,
            }
            if note.rect is not None:
                fields["rect"] = list(note.rect)
            if note.created_at is not None:
                fields["createdAt"] = note.created_at
            if note.group_id:
                fields["groupId"] = note.group_id
            if note.image_id:
                fields["imageId"] = note.image_id
            target[note.id] = Map(fields)
            for emoji, ids in note.reactions:
                for participant_id in ids:
                    reactions[reaction_key(note.id, emoji, participant_id)] = True
            for comment in note.comments:
                comments[comment.id] = Map(
                    {
                        "noteId": note.id,
                        "authorId": comment.author_id,
                        "author": comment.author,
                        "text": comment.text,
                        "createdAt": comment.created_at,
                    }
                )
