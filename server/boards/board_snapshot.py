"""A board read out of its two Yjs documents into plain, typed, immutable values.

The one reader of the documents for everything that is not live sync: the JSON view, exports.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pycrdt import Doc, Map

from server.boards.image_ids import is_image_id
from server.boards.legend import Legend, read_legend
from server.boards.plain import plain_map
from server.boards.reaction_changes import parse_reaction_key
from server.boards.votes import VotingSettings
from server.protocol import Reaction

Rect = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class Zone:
    id: str
    title: str
    hint: str
    rect: Rect | None
    color: str
    order: float
    row: str
    col: str


@dataclass(frozen=True, slots=True)
class Comment:
    """A comment on a note (docs/board-schema.md, root `comments`)."""

    id: str
    text: str
    author: str
    author_id: str
    created_at: float | None


# Each emoji of a note's reactions with who reacted (participant ids, sorted), in the fixed order.
Reactions = tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True, slots=True)
class Note:
    id: str
    text: str
    rect: Rect | None
    color: str
    author: str
    author_id: str
    created_at: float | None
    z: float
    # The id of the group (theme) the note is in; "" for none or a group that no longer exists.
    group_id: str = ""
    reactions: Reactions = ()
    # Oldest first.
    comments: tuple[Comment, ...] = ()
    # The picture of an image note (docs/board-schema.md, Image notes); "" for a text note.
    image_id: str = ""


@dataclass(frozen=True, slots=True)
class Group:
    """A theme: notes grouped under a title (docs/board-schema.md, root `groups`)."""

    id: str
    title: str
    created_by: str
    created_at: float | None
    folded: bool


@dataclass(frozen=True, slots=True)
class BoardSnapshot:
    title: str
    template: str
    locale: str
    locked: bool
    anonymous: bool
    voting: VotingSettings
    zones: tuple[Zone, ...]
    notes: tuple[Note, ...]
    # What each colour means on this board (meta.legend), in palette order.
    legend: Legend = ()
    groups: tuple[Group, ...] = ()


def as_rect(value: Any) -> Rect | None:
    """A `[x, y, w, h]` of finite numbers with a non-negative size, else None."""
    if not isinstance(value, list | tuple) or len(value) != 4:
        return None
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value):
        return None
    x, y, w, h = (float(v) for v in value)
    if not all(math.isfinite(v) for v in (x, y, w, h)) or w < 0 or h < 0:
        return None
    return (x, y, w, h)


def _number(value: Any, default: float) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return default


def read_board(layout: Doc[Any], notes_doc: Doc[Any]) -> BoardSnapshot:
    """Both documents as values; unknown keys are ignored, missing ones get defaults."""
    meta = plain_map(layout.get("meta", type=Map))
    zones = read_zones(layout)
    groups = read_groups(notes_doc)
    group_ids = {group.id for group in groups}
    reactions = read_reactions(notes_doc)
    comments = read_comments(notes_doc)
    notes = []
    for note_id, raw in plain_map(notes_doc.get("notes", type=Map)).items():
        if not isinstance(raw, dict):
            continue
        created = raw.get("createdAt")
        notes.append(
            Note(
                id=str(note_id),
                text=str(raw.get("text", "")),
                rect=as_rect(raw.get("rect")),
                color=str(raw.get("color", "")),
                author=str(raw.get("author", "")),
                author_id=str(raw.get("authorId", "")),
                created_at=_number(created, 0.0) if created is not None else None,
                z=_number(raw.get("z"), 0.0),
                group_id=_group_id(raw.get("groupId"), group_ids),
                reactions=reactions.get(str(note_id), ()),
                comments=comments.get(str(note_id), ()),
                image_id=_image_id(raw.get("imageId")),
            )
        )
    notes.sort(key=lambda n: (n.created_at or 0.0, n.id))
    locale = str(meta.get("locale", "fr"))
    return BoardSnapshot(
        title=str(meta.get("title", "")),
        template=str(meta.get("template", "blank")),
        locale=locale if locale in ("fr", "en") else "fr",
        locked=bool(meta.get("locked", False)),
        anonymous=bool(meta.get("anonymous", False)),
        voting=VotingSettings.from_meta(meta.get("voting")),
        zones=tuple(zones),
        notes=tuple(notes),
        legend=read_legend(meta.get("legend")),
        groups=tuple(groups),
    )


def _image_id(value: Any) -> str:
    return value if is_image_id(value) else ""


def _group_id(value: Any, group_ids: set[str]) -> str:
    return value if isinstance(value, str) and value in group_ids else ""


def read_groups(notes_doc: Doc[Any]) -> list[Group]:
    """The notes document's groups, oldest first (then by id)."""
    groups = []
    for group_id, raw in plain_map(notes_doc.get("groups", type=Map)).items():
        if not isinstance(raw, dict):
            continue
        created = raw.get("createdAt")
        groups.append(
            Group(
                id=str(group_id),
                title=str(raw.get("title", "")),
                created_by=str(raw.get("createdBy", "")),
                created_at=_number(created, 0.0) if created is not None else None,
                folded=raw.get("folded") is True,
            )
        )
    groups.sort(key=lambda g: (g.created_at or 0.0, g.id))
    return groups


def read_reactions(notes_doc: Doc[Any]) -> dict[str, Reactions]:
    """Each note's reactions (root `reactions`: `noteId/emoji/participantId` -> true)."""
    found: dict[str, dict[str, list[str]]] = {}
    for key, value in plain_map(notes_doc.get("reactions", type=Map)).items():
        parsed = parse_reaction_key(str(key))
        if value is True and parsed is not None:
            note_id, emoji, participant_id = parsed
            found.setdefault(note_id, {}).setdefault(emoji, []).append(participant_id)
    return {
        note_id: tuple(
            (r.value, tuple(sorted(by_emoji[r.value]))) for r in Reaction if r.value in by_emoji
        )
        for note_id, by_emoji in found.items()
    }


def read_comments(notes_doc: Doc[Any]) -> dict[str, tuple[Comment, ...]]:
    """Each note's comments (root `comments`), oldest first (then by id)."""
    found: dict[str, list[Comment]] = {}
    for comment_id, raw in plain_map(notes_doc.get("comments", type=Map)).items():
        if not isinstance(raw, dict) or not isinstance(raw.get("noteId"), str):
            continue
        text = raw.get("text")
        if not isinstance(text, str) or not text.strip():
            continue
        created = raw.get("createdAt")
        found.setdefault(raw["noteId"], []).append(
            Comment(
                id=str(comment_id),
                text=text,
                author=str(raw.get("author", "")),
                author_id=str(raw.get("authorId", "")),
                created_at=_number(created, 0.0) if created is not None else None,
            )
        )
    return {
        note_id: tuple(sorted(comments, key=lambda c: (c.created_at or 0.0, c.id)))
        for note_id, comments in found.items()
    }


def read_zones(layout: Doc[Any]) -> list[Zone]:
    """The layout's zones in reading order (`order`, then id)."""
    zones = []
    for zone_id, raw in plain_map(layout.get("zones", type=Map)).items():
        if not isinstance(raw, dict):
            continue
        zones.append(
            Zone(
                id=str(zone_id),
                title=str(raw.get("title", "")),
                hint=str(raw.get("hint", "")),
                rect=as_rect(raw.get("rect")),
                color=str(raw.get("color", "")),
                order=_number(raw.get("order"), 0.0),
                row=str(raw.get("row", "")),
                col=str(raw.get("col", "")),
            )
        )
    zones.sort(key=lambda z: (z.order, z.id))
    return zones


def enclosing(rects: Sequence[Rect]) -> Rect | None:
    """The smallest rectangle holding all of them; None for none."""
    if not rects:
        return None
    left = min(r[0] for r in rects)
    top = min(r[1] for r in rects)
    right = max(r[0] + r[2] for r in rects)
    bottom = max(r[1] + r[3] for r in rects)
    return (left, top, right - left, bottom - top)


def zone_of(rect: Rect, zones: Sequence[Zone]) -> Zone | None:
    """The zone containing the note's centre; the smallest one if several overlap.

    Derived, never stored (docs/board-schema.md, Which zone a note is in), so moving a note stays
    one change.
    """
    cx, cy = rect[0] + rect[2] / 2, rect[1] + rect[3] / 2
    best: tuple[float, Zone] | None = None
    for zone in zones:
        zr = zone.rect
        if zr is None or not (zr[0] <= cx <= zr[0] + zr[2] and zr[1] <= cy <= zr[1] + zr[3]):
            continue
        area = zr[2] * zr[3]
        if best is None or area < best[0]:
            best = (area, zone)
    return None if best is None else best[1]
