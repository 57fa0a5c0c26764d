"""The board as a versioned JSON document (backup, restore, move between servers), both ways."""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

from server.boards.board_snapshot import (
    BoardSnapshot,
    Comment,
    Group,
    Note,
    Reactions,
    Rect,
    Zone,
    as_rect,
    zone_of,
)
from server.boards.export.model import ExportFormat, ExportSource
from server.boards.file_problems import FileProblem
from server.boards.group_changes import MAX_GROUP_TITLE_CHARS
from server.boards.image_ids import is_image_id
from server.boards.images import EncodedImage
from server.boards.legend import MAX_LEGEND_CHARS, Legend, legend_json, read_legend
from server.boards.note_changes import NoteLimits
from server.boards.palette import PALETTE
from server.boards.templates.format import MAX_TEXT_CHARS
from server.boards.trash import DeletedNote, Deleter, kept_values
from server.boards.votes import VotingSettings
from server.protocol import Reaction

# The `format` field of a board file: says the JSON is an Ardoise board, whatever its name.
FILE_KIND = "ardoise.board"
VERSION = 1
_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
# A board's title, once trimmed: the same limit for a new board (POST /api/boards), a copy and a
# restored board file.
MAX_BOARD_TITLE = 200
# What a board can hold, no more: a zone's texts as a template writes them (its texts and the
# items asked at creation), a note's author as the server accepts it on a live edit
# (docs/protocol.md section 4, "Judging notes"), ids and palette names.
_MAX_TITLE = MAX_TEXT_CHARS
_MAX_LABEL = MAX_TEXT_CHARS
_MAX_ZONES = 1000
_MAX_SHORT = 80
# As on a live board (server/boards/note_changes.py, NoteLimits.max_groups).
_MAX_GROUPS = 500
_LIMITS = NoteLimits()
_EMOJI = tuple(r.value for r in Reaction)
# An anonymous board's file counts reactions without saying whose: restored under ids like these.
_ANONYMOUS_REACTION = "anonymous-{}"
_MAX_REACTIONS_PER_EMOJI = 10_000


class BoardFileError(FileProblem):
    """A board file that cannot be imported; the text says where and what."""


def _zone(zone: Zone) -> dict[str, Any]:
    return {
        "id": zone.id,
        "title": zone.title,
        "hint": zone.hint,
        "rect": list(zone.rect) if zone.rect else None,
        "color": zone.color,
        "order": zone.order,
        "row": zone.row,
        "col": zone.col,
    }


def _group(group: Group, anonymous: bool) -> dict[str, Any]:
    return {
        "id": group.id,
        "title": group.title,
        "createdBy": "" if anonymous else group.created_by,
        "createdAt": group.created_at,
        "folded": group.folded,
    }


def _note(note: Note, zone: str | None, anonymous: bool) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "id": note.id,
        "text": note.text,
        "rect": list(note.rect) if note.rect else None,
        "color": note.color,
        # An anonymous board's file must not reveal who wrote what: any role may export.
        "author": "" if anonymous else note.author,
        "authorId": "" if anonymous else note.author_id,
        "createdAt": note.created_at,
        "z": note.z,
        "zone": zone,
    }
    if note.group_id:
        fields["groupId"] = note.group_id
    if note.reactions:
        fields["reactions"] = {
            emoji: len(ids) if anonymous else list(ids) for emoji, ids in note.reactions
        }
    if note.comments:
        fields["comments"] = [
            {
                "id": c.id,
                "text": c.text,
                "author": "" if anonymous else c.author,
                "authorId": "" if anonymous else c.author_id,
                "createdAt": c.created_at,
            }
            for c in note.comments
        ]
    if note.image_id:
        fields["imageId"] = note.image_id
    return fields


def _pictures(
    board: BoardSnapshot, trash: Sequence[DeletedNote], images: Mapping[str, EncodedImage]
) -> dict[str, Any]:
    """The pictures the notes (and the deleted notes) name, the bytes in base64."""
    named = {n.image_id for n in board.notes} | {e.note.get("imageId") for e in trash}
    return {
        image_id: {
            "mediaType": image.media_type,
            "width": image.width,
            "height": image.height,
            "data": base64.b64encode(image.data).decode("ascii"),
        }
        for image_id, image in sorted(images.items())
        if image_id in named
    }


def _deleted(entry: DeletedNote, anonymous: bool) -> dict[str, Any]:
    note = dict(entry.note)
    if anonymous:
        note["author"] = note["authorId"] = ""
    return {
        "noteId": entry.note_id,
        "note": note,
        "deletedAt": entry.deleted_at_ms,
        "deletedBy": {
            "name": "" if anonymous else entry.deleted_by.name,
            "role": entry.deleted_by.role,
        },
    }


def render(
    board: BoardSnapshot,
    votes: Mapping[str, int] | None,
    exported_at: datetime,
    trash: Sequence[DeletedNote] = (),
    images: Mapping[str, EncodedImage] | None = None,
) -> bytes:
    """The file; `votes` only once they are revealed (else null); `trash` when given (a
    facilitator's backup), oldest first; the pictures of image notes among `images`."""
    data: dict[str, Any] = {
        "format": FILE_KIND,
        "version": VERSION,
        "exportedAt": exported_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "board": {
            "title": board.title,
            "template": board.template,
            "locale": board.locale,
            "locked": board.locked,
            "anonymous": board.anonymous,
            "voting": {
                "state": board.voting.state,
                "secret": board.voting.secret,
                "revealed": board.voting.revealed,
                "budget": board.voting.budget,
            },
            "zones": [_zone(z) for z in board.zones],
            "legend": legend_json(board.legend),
            "notes": [_note(n, _zone_id(n, board.zones), board.anonymous) for n in board.notes],
            "groups": [_group(g, board.anonymous) for g in board.groups],
        },
        "votes": None if votes is None else {k: int(v) for k, v in sorted(votes.items())},
    }
    if trash:
        data["trash"] = [_deleted(entry, board.anonymous) for entry in trash]
    pictures = _pictures(board, trash, images or {})
    if pictures:
        data["images"] = pictures
    return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False).encode("utf-8")


# ---- reading -----------------------------------------------------------------------------


def _fail(where: str, key: str, **params: Any) -> BoardFileError:
    return BoardFileError(key, where=where, **params)


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(where, "board.notObject")
    return value


def _string(obj: dict[str, Any], key: str, where: str, limit: int, default: str = "") -> str:
    value = obj.get(key, default)
    if not isinstance(value, str):
        raise _fail(f"{where}.{key}", "board.notString")
    if len(value) > limit:
        raise _fail(f"{where}.{key}", "board.tooLong", limit=limit)
    return value


def _bool(obj: dict[str, Any], key: str, where: str, default: bool) -> bool:
    value = obj.get(key, default)
    if not isinstance(value, bool):
        raise _fail(f"{where}.{key}", "board.notBool")
    return value


def _number(obj: dict[str, Any], key: str, where: str, default: float | None) -> float | None:
    value = obj.get(key, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _fail(f"{where}.{key}", "board.notNumber")
    return float(value)


def _id(obj: dict[str, Any], where: str, seen: set[str]) -> str:
    value = obj.get("id")
    if not isinstance(value, str) or not _ID.match(value):
        raise _fail(f"{where}.id", "board.badId")
    if value in seen:
        raise _fail(f"{where}.id", "board.idTwice", value=repr(value))
    seen.add(value)
    return value


def _rect(obj: dict[str, Any], where: str) -> Rect:
    rect = as_rect(obj.get("rect"))
    if rect is None:
        raise _fail(f"{where}.rect", "board.badRect")
    return rect


def _optional_rect(obj: dict[str, Any], where: str) -> Rect | None:
    return None if obj.get("rect") is None else _rect(obj, where)


def _zone_id(note: Note, zones: tuple[Zone, ...]) -> str | None:
    zone = zone_of(note.rect, zones) if note.rect else None
    return zone.id if zone else None


def _voting(raw: Any) -> VotingSettings:
    obj = _object(raw if raw is not None else {}, "board.voting")
    state = obj.get("state", "off")
    if state not in ("off", "open", "closed"):
        raise _fail("board.voting.state", "board.badVoting")
    budget = _number(obj, "budget", "board.voting", 5.0)
    return VotingSettings(
        state=state,
        secret=_bool(obj, "secret", "board.voting", True),
        revealed=_bool(obj, "revealed", "board.voting", False),
        budget=int(budget if budget is not None else 5),
    )


def _legend(raw: Any) -> Legend:
    """`{palette name: label}`; other colours are ignored (a later palette may know them), a
    label that is not a string or longer than MAX_LEGEND_CHARS refuses the file."""
    if raw is None:
        return ()
    legend = _object(raw, "board.legend")
    for color in PALETTE:
        _string(legend, color, "board.legend", MAX_LEGEND_CHARS)
    return read_legend(legend)


def _zones(raw: Any) -> tuple[Zone, ...]:
    if not isinstance(raw, list) or len(raw) > _MAX_ZONES:
        raise _fail("board.zones", "board.tooManyZones", max=_MAX_ZONES)
    seen: set[str] = set()
    zones = []
    for i, item in enumerate(raw):
        where = f"board.zones[{i}]"
        obj = _object(item, where)
        rect = _optional_rect(obj, where)
        order = _number(obj, "order", where, float(i))
        zones.append(
            Zone(
                id=_id(obj, where, seen),
                title=_string(obj, "title", where, _MAX_TITLE),
                hint=_string(obj, "hint", where, _MAX_LABEL),
                rect=rect,
                color=_string(obj, "color", where, _MAX_SHORT),
                order=order if order is not None else float(i),
                row=_string(obj, "row", where, _MAX_TITLE),
                col=_string(obj, "col", where, _MAX_TITLE),
            )
        )
    return tuple(zones)


def _groups(raw: Any) -> tuple[Group, ...]:
    if not isinstance(raw, list) or len(raw) > _MAX_GROUPS:
        raise _fail("board.groups", "board.tooManyGroups", max=_MAX_GROUPS)
    seen: set[str] = set()
    groups = []
    for i, item in enumerate(raw):
        where = f"board.groups[{i}]"
        obj = _object(item, where)
        groups.append(
            Group(
                id=_id(obj, where, seen),
                title=_string(obj, "title", where, MAX_GROUP_TITLE_CHARS),
                created_by=_string(obj, "createdBy", where, _MAX_SHORT),
                created_at=_number(obj, "createdAt", where, None),
                folded=_bool(obj, "folded", where, False),
            )
        )
    return tuple(groups)


def _group_id(obj: dict[str, Any], where: str, groups: Collection[str]) -> str:
    value = obj.get("groupId")
    if value is None:
        return ""
    if not isinstance(value, str) or value not in groups:
        raise _fail(f"{where}.groupId", "board.unknownGroup")
    return value


def _image_id(obj: dict[str, Any], where: str) -> str:
    value = obj.get("imageId")
    if value is None:
        return ""
    if not is_image_id(value):
        raise _fail(f"{where}.imageId", "board.badImageId")
    return str(value)


def _notes(
    raw: Any, max_notes: int, max_chars: int, groups: Collection[str] = ()
) -> tuple[Note, ...]:
    if not isinstance(raw, list) or len(raw) > max_notes:
        raise _fail("board.notes", "board.tooManyNotes", max=max_notes)
    seen: set[str] = set()
    comment_ids: set[str] = set()
    notes = []
    for i, item in enumerate(raw):
        where = f"board.notes[{i}]"
        obj = _object(item, where)
        rect = _optional_rect(obj, where)
        notes.append(
            Note(
                id=_id(obj, where, seen),
                text=_string(obj, "text", where, max_chars),
                rect=rect,
                color=_string(obj, "color", where, _MAX_SHORT),
                author=_string(obj, "author", where, _MAX_SHORT),
                author_id=_string(obj, "authorId", where, _MAX_SHORT),
                created_at=_number(obj, "createdAt", where, None),
                z=_number(obj, "z", where, 0.0) or 0.0,
                group_id=_group_id(obj, where, groups),
                reactions=_reactions(obj.get("reactions"), f"{where}.reactions"),
                comments=_comments(obj.get("comments"), f"{where}.comments", comment_ids),
                image_id=_image_id(obj, where),
            )
        )
    return tuple(notes)


def _reactions(raw: Any, where: str) -> Reactions:
    """`{emoji: [participant ids]}`, or `{emoji: count}` from an anonymous board's file."""
    if raw is None:
        return ()
    obj = _object(raw, where)
    if set(obj) - set(_EMOJI):
        raise _fail(where, "board.badReactions", emoji=" ".join(_EMOJI))
    out = []
    for emoji in _EMOJI:
        value = obj.get(emoji)
        if value is None:
            continue
        if isinstance(value, int) and not isinstance(value, bool):
            if not 0 <= value <= _MAX_REACTIONS_PER_EMOJI:
                raise _fail(f"{where}.{emoji}", "board.badReactions", emoji=" ".join(_EMOJI))
            ids = tuple(_ANONYMOUS_REACTION.format(i + 1) for i in range(value))
        elif isinstance(value, list) and len(value) <= _MAX_REACTIONS_PER_EMOJI:
            if not all(isinstance(i, str) and _ID.match(i) for i in value):
                raise _fail(f"{where}.{emoji}", "board.badId")
            ids = tuple(sorted(set(value)))
        else:
            raise _fail(f"{where}.{emoji}", "board.badReactions", emoji=" ".join(_EMOJI))
        if ids:
            out.append((emoji, ids))
    return tuple(out)


def _comments(raw: Any, where: str, seen: set[str]) -> tuple[Comment, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or len(raw) > _LIMITS.max_comments_per_note:
        raise _fail(where, "board.tooManyComments", max=_LIMITS.max_comments_per_note)
    comments = []
    for i, item in enumerate(raw):
        at = f"{where}[{i}]"
        obj = _object(item, at)
        text = _string(obj, "text", at, _LIMITS.max_comment_chars)
        if not text.strip():
            raise _fail(f"{at}.text", "board.emptyComment")
        comments.append(
            Comment(
                id=_id(obj, at, seen),
                text=text,
                author=_string(obj, "author", at, _MAX_SHORT),
                author_id=_string(obj, "authorId", at, _MAX_SHORT),
                created_at=_number(obj, "createdAt", at, None),
            )
        )
    return tuple(comments)


def load(data: Any, max_notes: int, max_chars: int) -> BoardSnapshot:
    """A parsed JSON value as a board; raises BoardFileError naming the first problem."""
    top = _object(data, "file")
    if top.get("format") != FILE_KIND:
        raise _fail("format", "board.notArdoise", format=repr(FILE_KIND))
    if top.get("version") != VERSION:
        raise _fail("version", "board.badVersion", version=repr(top.get("version")))
    board = _object(top.get("board"), "board")
    # As a new board's title: trimmed, then 1 to MAX_BOARD_TITLE characters (refused, not cut).
    title = board.get("title", "")
    if not isinstance(title, str):
        raise _fail("board.title", "board.notString")
    title = title.strip()
    if not title:
        raise _fail("board.title", "board.emptyTitle")
    if len(title) > MAX_BOARD_TITLE:
        raise _fail("board.title", "board.tooLong", limit=MAX_BOARD_TITLE)
    locale = board.get("locale", "fr")
    if locale not in ("fr", "en"):
        raise _fail("board.locale", "board.badLocale")
    groups = _groups(board.get("groups", []))
    group_ids = {g.id for g in groups}
    notes = _notes(board.get("notes", []), max_notes, max_chars, group_ids)
    # Votes are kept by id: a group and a note never share one.
    for i, note in enumerate(notes):
        if note.id in group_ids:
            raise _fail(f"board.notes[{i}].id", "board.idTwice", value=repr(note.id))
    return BoardSnapshot(
        title=title,
        template=_string(board, "template", "board", _MAX_SHORT, "blank") or "blank",
        locale=locale,
        locked=_bool(board, "locked", "board", False),
        anonymous=_bool(board, "anonymous", "board", False),
        voting=_voting(board.get("voting")),
        zones=_zones(board.get("zones", [])),
        notes=notes,
        legend=_legend(board.get("legend")),
        groups=groups,
    )


_DELETER_ROLES = frozenset({"facilitator", "participant", "server"})


def load_trash(data: Any, max_entries: int, max_chars: int) -> list[DeletedNote]:
    """The deleted notes of a parsed board file (its optional `trash`), oldest first."""
    raw = data.get("trash", []) if isinstance(data, dict) else []
    if raw is None:
        return []
    if not isinstance(raw, list) or len(raw) > max_entries:
        raise _fail("trash", "board.tooManyNotes", max=max_entries)
    entries = []
    for i, item in enumerate(raw):
        where = f"trash[{i}]"
        obj = _object(item, where)
        note_id = obj.get("noteId")
        if not isinstance(note_id, str) or not _ID.match(note_id):
            raise _fail(f"{where}.noteId", "board.badId")
        note = _object(obj.get("note", {}), f"{where}.note")
        _string(note, "text", f"{where}.note", max_chars)
        by = _object(obj.get("deletedBy", {}), f"{where}.deletedBy")
        role = _string(by, "role", f"{where}.deletedBy", _MAX_SHORT)
        entries.append(
            DeletedNote(
                note_id=note_id,
                note=kept_values(note),
                deleted_by=Deleter(
                    "",
                    _string(by, "name", f"{where}.deletedBy", 80),
                    role if role in _DELETER_ROLES else "server",
                ),
                deleted_at_ms=_number(obj, "deletedAt", where, 0.0) or 0.0,
            )
        )
    return entries


def load_images(data: Any, max_bytes: int) -> dict[str, bytes]:
    """The pictures of a parsed board file (its optional `images`), as the file holds them:
    to be decoded and encoded again (server/boards/images.py) like any picture sent."""
    raw = data.get("images") if isinstance(data, dict) else None
    if raw is None:
        return {}
    found: dict[str, bytes] = {}
    total = 0
    for image_id, item in _object(raw, "images").items():
        where = f"images.{str(image_id)[:40]}"
        if not is_image_id(image_id):
            raise _fail(where, "board.badImageId")
        encoded = _object(item, where).get("data")
        if not isinstance(encoded, str):
            raise _fail(f"{where}.data", "board.badImage")
        try:
            found[image_id] = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise _fail(f"{where}.data", "board.badImage") from None
        total += len(found[image_id])
        if total > max_bytes:
            raise _fail("images", "board.imagesTooBig", max=max_bytes)
    return found


def _file(source: ExportSource) -> bytes:
    return render(source.board, source.votes, source.moment, source.trash, source.images)


FORMAT = ExportFormat("json", "application/json", "json", _file, uses_images=True)
