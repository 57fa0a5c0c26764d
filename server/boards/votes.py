"""Dot voting: each participant's votes, the budget, and who may see the tallies (docs/protocol.md
section 5).

Votes are server state, never in a document, so a secret vote stays secret: what a client is sent
is computed here for its role.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from server.errors import ArdoiseError
from server.protocol import ErrorCode, Role

VOTING_STATES = ("off", "open", "closed")
# A budget beyond this is no longer "dot" voting; it also bounds what one client can store.
MAX_BUDGET = 100


@dataclass(frozen=True, slots=True)
class VotingSettings:
    """`meta.voting` of the layout document, read defensively (facilitators write it)."""

    state: str = "off"
    secret: bool = True
    revealed: bool = False
    budget: int = 5

    @classmethod
    def from_meta(cls, raw: Any) -> VotingSettings:
        if not isinstance(raw, dict):
            return cls()
        state = raw.get("state")
        budget = raw.get("budget")
        return cls(
            state=state if state in VOTING_STATES else "off",
            secret=raw.get("secret", True) is not False,
            revealed=raw.get("revealed") is True,
            budget=int(min(max(budget, 0), MAX_BUDGET)) if isinstance(budget, int | float) else 5,
        )

    def tallies_visible_to(self, role: Role) -> bool:
        return role is Role.FACILITATOR or not self.secret or self.revealed


class VoteBox:
    """Counts per participant and note; the rules of casting and removing votes."""

    def __init__(self, counts: dict[str, dict[str, int]] | None = None) -> None:
        self._counts: dict[str, dict[str, int]] = counts or {}

    def mine(self, participant_id: str, notes: Collection[str]) -> dict[str, int]:
        return {n: c for n, c in self._counts.get(participant_id, {}).items() if n in notes}

    def remaining(self, participant_id: str, budget: int, notes: Collection[str]) -> int:
        # Votes on deleted notes are given back: the person did not choose to lose them.
        return max(0, budget - sum(self.mine(participant_id, notes).values()))

    def tallies(self, notes: Collection[str]) -> dict[str, int]:
        totals: dict[str, int] = {}
        for per_note in self._counts.values():
            for note_id, count in per_note.items():
                if note_id in notes:
                    totals[note_id] = totals.get(note_id, 0) + count
        return totals

    def cast(
        self,
        participant_id: str,
        note_id: str,
        delta: int,
        settings: VotingSettings,
        notes: Collection[str],
    ) -> int:
        """Apply +1 or -1; returns the new count of this participant on this note."""
        if settings.state != "open":
            raise ArdoiseError(ErrorCode.VOTE_CLOSED, "voting is not open")
        if note_id not in notes:
            raise ArdoiseError(ErrorCode.NOT_FOUND, "no such note")
        per_note = self._counts.setdefault(participant_id, {})
        current = per_note.get(note_id, 0)
        if delta == 1 and self.remaining(participant_id, settings.budget, notes) == 0:
            raise ArdoiseError(ErrorCode.BUDGET_EXHAUSTED, "no votes left")
        if delta == -1 and current == 0:
            raise ArdoiseError(ErrorCode.NOT_FOUND, "no vote of yours on this note")
        count = current + delta
        if count:
            per_note[note_id] = count
        else:
            per_note.pop(note_id, None)
        return count

    def set(self, participant_id: str, note_id: str, count: int) -> None:
        """Take a count decided elsewhere (another server process)."""
        per_note = self._counts.setdefault(participant_id, {})
        if count > 0:
            per_note[note_id] = count
        else:
            per_note.pop(note_id, None)

    def payload(
        self,
        participant_id: str,
        settings: VotingSettings,
        notes: Collection[str],
        tallies: dict[str, int] | None,
    ) -> dict[str, Any]:
        """The `votes` event for one client; `tallies` only if this client may see them, and
        with them `voters`, how many people have votes on the board's notes."""
        payload: dict[str, Any] = {
            "mine": self.mine(participant_id, notes),
            "remaining": self.remaining(participant_id, settings.budget, notes),
            "tallies": tallies,
        }
        if tallies is not None:
            payload["voters"] = self.voters(notes)
        return payload

    def voters(self, notes: Collection[str]) -> int:
        """How many participants have at least one vote on one of these notes."""
        return sum(1 for per_note in self._counts.values() if any(n in notes for n in per_note))
