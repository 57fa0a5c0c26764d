"""A board's earlier versions: what one holds, which ones are kept as they age, and the edits that
make the live documents equal to one of them (docs/board-schema.md, History)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pycrdt import Array, Doc, Map, Text

from server.boards.plain import MAX_DEPTH, plain

# The layout keys a restore leaves as they are: they steer the session under way (who may write
# and change what, the timer, the vote, private writing, follow me), not what the board says.
# Restoring an old lock or a timer that ended long ago would change the workshop, not bring
# anything back.
SESSION_META_KEYS = frozenset({"locked", "editOthersNotes", "privateWriting", "follow", "voting"})
SESSION_ROOTS = frozenset({"timer"})
# The roots a version restore makes equal; other roots (a client's own) are left alone.
LAYOUT_ROOTS = ("meta", "zones")
NOTES_ROOT = "notes"
GROUPS_ROOT = "groups"
REACTIONS_ROOT = "reactions"
COMMENTS_ROOT = "comments"
# Why a version was kept (the `reason` of the API).
AUTO = "auto"
BEFORE_RESTORE = "before_restore"
BEFORE_IMPORT = "before_import"
BEFORE_DELETE = "before_delete"
SESSION_END = "session_end"
RESTORED = "restored"


@dataclass(frozen=True, slots=True)
class NewVersion:
    """Both shared documents at one instant, as full states, and what the list shows of it."""

    created_at_ms: float
    reason: str
    made_by: str
    note_count: int
    layout: bytes
    notes: bytes

    @classmethod
    def of(
        cls,
        layout: Doc[Any],
        notes: Doc[Any],
        reason: str,
        made_by: str,
        now_ms: float,
        notes_state: bytes | None = None,
    ) -> NewVersion:
        """`notes_state`: `notes.get_update()` when the caller has just read it."""
        return cls(
            created_at_ms=now_ms,
            reason=reason,
            made_by=made_by[:200],
            note_count=len(notes.get(NOTES_ROOT, type=Map)),
            layout=layout.get_update(),
            notes=notes.get_update() if notes_state is None else notes_state,
        )

    @property
    def size(self) -> int:
        return len(self.layout) + len(self.notes)


@dataclass(frozen=True, slots=True)
class VersionSummary:
    id: int
    created_at_ms: float
    reason: str
    made_by: str
    note_count: int
    size: int


@dataclass(frozen=True, slots=True)
class StoredVersion:
    summary: VersionSummary
    layout: bytes
    notes: bytes


def versions_to_drop(
    versions: Sequence[VersionSummary], max_versions: int, max_bytes: int, keep_newest: int
) -> list[int]:
    """Which versions to delete so that at most `max_versions` of at most `max_bytes` remain.

    The newest `keep_newest` are kept as they are. Among the older ones, the version closest in
    time to the one before it goes first, so that what remains of the past is spread out: recent
    hours in detail, earlier days at wider intervals. When only the newest remain and the bytes
    are still over, the oldest goes. The newest version is never dropped.
    """
    kept = sorted(versions, key=lambda v: (v.created_at_ms, v.id))
    total = sum(v.size for v in kept)
    dropped: list[int] = []
    while len(kept) > 1 and (len(kept) > max_versions or total > max_bytes):
        thinnable = range(1, len(kept) - keep_newest)
        if len(thinnable) > 0:
            index = min(
                thinnable, key=lambda i: (kept[i].created_at_ms - kept[i - 1].created_at_ms, i)
            )
        else:
            index = 0
        gone = kept.pop(index)
        total -= gone.size
        dropped.append(gone.id)
    return dropped


def read_version(data: bytes) -> Doc[Any]:
    doc: Doc[Any] = Doc()
    doc.apply_update(data)
    return doc


def match_layout(doc: Doc[Any], version: Doc[Any]) -> None:
    """Make the layout's title, settings and zones those of the version (not the session's
    controls: SESSION_META_KEYS, SESSION_ROOTS)."""
    for root in LAYOUT_ROOTS:
        skip = SESSION_META_KEYS if root == "meta" else frozenset()
        _match_map(doc.get(root, type=Map), version.get(root, type=Map), 0, skip)


def match_groups(doc: Doc[Any], version: Doc[Any]) -> None:
    """Make the groups (themes), reactions and comments those of the version, in one edit."""
    for root in (GROUPS_ROOT, REACTIONS_ROOT, COMMENTS_ROOT):
        _match_map(doc.get(root, type=Map), version.get(root, type=Map), 0, frozenset())


def note_ids(doc: Doc[Any]) -> set[str]:
    return set(doc.get(NOTES_ROOT, type=Map).keys())


def notes_to_match(doc: Doc[Any], version: Doc[Any], candidates: Sequence[str]) -> list[str]:
    """Those of the `candidates` that differ between the live document and the version."""
    live = doc.get(NOTES_ROOT, type=Map)
    wanted = version.get(NOTES_ROOT, type=Map)
    return [i for i in candidates if plain(live.get(i)) != plain(wanted.get(i))]


def match_notes(doc: Doc[Any], version: Doc[Any], note_ids: Sequence[str]) -> None:
    """Make these notes what they are in the version: deleted, added back or changed."""
    live = doc.get(NOTES_ROOT, type=Map)
    wanted = version.get(NOTES_ROOT, type=Map)
    for note_id in note_ids:
        _match_entry(live, note_id, wanted.get(note_id), 0)


def note_weight(version: Doc[Any], note_id: str) -> int:
    """About how many bytes restoring this note writes (to cut a restore into edits)."""
    note = plain(version.get(NOTES_ROOT, type=Map).get(note_id))
    text = note.get("text") if isinstance(note, dict) else None
    return 256 + (len(text.encode("utf-8", "replace")) if isinstance(text, str) else 0)


def _match_map(live: Map[Any], wanted: Map[Any], depth: int, skip: frozenset[str]) -> None:
    wanted_keys = set(wanted.keys())
    for key in list(live.keys()):
        if key not in wanted_keys and key not in skip:
            del live[key]
    for key in sorted(wanted_keys - skip):
        _match_entry(live, key, wanted.get(key), depth)


def _match_entry(live: Map[Any], key: str, want: Any, depth: int) -> None:
    have = live.get(key)
    if want is None:
        if have is not None:
            del live[key]
        return
    if isinstance(want, Map):
        if isinstance(have, Map) and depth < MAX_DEPTH:
            _match_map(have, want, depth + 1, frozenset())
        else:
            live[key] = _copy(want, depth)
        return
    if isinstance(want, Text):
        if isinstance(have, Text):
            _match_text(have, str(want))
        else:
            live[key] = Text(str(want))
        return
    if isinstance(want, Array):
        if plain(have) != plain(want):
            live[key] = _copy(want, depth)
        return
    if not _is_value(have, want):
        live[key] = want


def _is_value(have: Any, want: Any) -> bool:
    """`have` is the plain value `want` (numbers compared by value, a shared type never is)."""
    if isinstance(have, Map | Array | Text):
        return False
    return bool(type(have) is type(want) and have == want) or (
        isinstance(have, int | float)
        and isinstance(want, int | float)
        and not isinstance(have, bool)
        and not isinstance(want, bool)
        and have == want
    )


def _copy(value: Any, depth: int) -> Any:
    """A new shared value holding what `value` holds (prelim types to insert)."""
    if isinstance(value, Text):
        return Text(str(value))
    if isinstance(value, Map):
        if depth >= MAX_DEPTH:
            return None
        return Map({k: _copy(v, depth + 1) for k, v in value.items()})
    if isinstance(value, Array):
        if depth >= MAX_DEPTH:
            return None
        return Array([_copy(v, depth + 1) for v in value])
    return value


def _match_text(text: Text, wanted: str) -> None:
    """Replace only what differs (common start and end kept), so that a note being typed in
    elsewhere loses as little as possible. pycrdt counts a text's positions in UTF-8 bytes."""
    current = str(text)
    if current == wanted:
        return
    start = 0
    limit = min(len(current), len(wanted))
    while start < limit and current[start] == wanted[start]:
        start += 1
    end = 0
    while end < limit - start and current[len(current) - 1 - end] == wanted[len(wanted) - 1 - end]:
        end += 1
    at = len(current[:start].encode("utf-8", "surrogatepass"))
    removed = len(current[start : len(current) - end].encode("utf-8", "surrogatepass"))
    if removed:
        del text[at : at + removed]
    inserted = wanted[start : len(wanted) - end]
    if inserted:
        text.insert(at, inserted)
