"""How many people voted: sent with the tallies (docs/protocol.md section 5)."""

from __future__ import annotations

from server.boards.votes import VoteBox, VotingSettings

OPEN = VotingSettings(state="open", secret=True, budget=3)


def test_voters_count_people_with_votes_on_live_notes() -> None:
    box = VoteBox()
    notes = {"n1", "n2"}
    assert box.voters(notes) == 0
    box.cast("alice", "n1", 1, OPEN, notes)
    box.cast("alice", "n2", 1, OPEN, notes)
    box.cast("bob", "n2", 1, OPEN, notes)
    assert box.voters(notes) == 2
    box.cast("bob", "n2", -1, OPEN, notes)
    assert box.voters(notes) == 1
    assert box.voters({"n2"}) == 1 and box.voters(set()) == 0


def test_voters_travel_with_the_tallies_only() -> None:
    box = VoteBox({"alice": {"n1": 2}})
    hidden = box.payload("bob", OPEN, {"n1"}, None)
    assert "voters" not in hidden and hidden["tallies"] is None
    shown = box.payload("fac", OPEN, {"n1"}, box.tallies({"n1"}))
    assert shown["voters"] == 1 and shown["tallies"] == {"n1": 2}
