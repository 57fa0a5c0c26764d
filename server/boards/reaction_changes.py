"""Whether a writer may add or remove the reactions an update holds (docs/protocol.md section 4).

A reaction is one key of the root map `reactions` of the notes document,
`noteId/emoji/participantId` -> `true` (docs/board-schema.md): one of each emoji per person and
note by construction. Each person adds and removes only their own; the facilitator also clears
anyone's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from server.boards.group_changes import GroupTally
from server.errors import ArdoiseError
from server.protocol import ErrorCode, Reaction

if TYPE_CHECKING:
    from server.boards.note_changes import NoteLimits, Writer

_EMOJI = frozenset(reaction.value for reaction in Reaction)
_SEPARATOR = "/"


class ReactionsView(Protocol):
    """What the judge reads of the live document's reactions."""

    def reaction_count(self) -> int: ...

    def reaction_exists(self, key: str) -> bool: ...

    def exists(self, note_id: str) -> bool: ...


def reaction_key(note_id: str, emoji: str, participant_id: str) -> str:
    return _SEPARATOR.join((note_id, emoji, participant_id))


def parse_reaction_key(key: str) -> tuple[str, str, str] | None:
    """(note id, emoji, participant id) of a well-formed key, else None."""
    parts = key.split(_SEPARATOR)
    if len(parts) != 3 or parts[1] not in _EMOJI or not parts[0] or not parts[2]:
        return None
    return parts[0], parts[1], parts[2]


def _forbidden(message: str) -> ArdoiseError:
    return ArdoiseError(ErrorCode.FORBIDDEN, message)


def _invalid(message: str) -> ArdoiseError:
    return ArdoiseError(ErrorCode.INVALID, message)


def judge_reactions(
    tally: GroupTally,
    view: ReactionsView,
    writer: Writer | None,
    limits: NoteLimits,
    created_notes: set[str],
) -> None:
    """Raise ArdoiseError when `writer` may not add or remove these reactions."""
    if writer is None or not (tally.items or tally.deleted_entries or tally.changed_by_delete):
        return
    if not writer.may_group:
        raise _forbidden("reactions are made on the shared board, not in private writing")
    added: set[str] = set()
    for item, place in tally.items:
        key = place.note_id
        assert key is not None
        if place.depth != 0 or not item.is_true:
            raise _invalid("a reaction is the value true, under its own key")
        parsed = parse_reaction_key(key)
        if parsed is None:
            raise _invalid(f"a reaction's key is noteId/emoji/participantId with one of {_EMOJI}")
        note_id, _, participant_id = parsed
        if participant_id != writer.participant_id:
            raise _forbidden("a reaction is in its writer's own name")
        if not (view.exists(note_id) or note_id in created_notes):
            raise _invalid(f"a reaction to an unknown note {note_id[:40]!r}")
        if not view.reaction_exists(key):
            added.add(key)
    if tally.changed_by_delete:
        raise _invalid("a reaction holds nothing to change")
    removed = {key for key in tally.deleted_entries if view.reaction_exists(key)} - {
        key for _, place in tally.items if place.note_id is not None
    }
    if not writer.is_facilitator:
        for key in removed:
            parsed = parse_reaction_key(key)
            if parsed is None or parsed[2] != writer.participant_id:
                raise _forbidden("only the facilitator removes someone else's reaction")
    if added and view.reaction_count() + len(added) - len(removed) > limits.max_reactions:
        raise _invalid(f"a board holds at most {limits.max_reactions} reactions")
