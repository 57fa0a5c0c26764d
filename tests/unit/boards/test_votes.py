"""Vote rules and who may see tallies (docs/protocol.md section 5)."""

from __future__ import annotations

import pytest

from server.boards.votes import VoteBox, VotingSettings
from server.errors import ArdoiseError
from server.protocol import Role

OPEN = VotingSettings(state="open", secret=True, revealed=False, budget=2)
NOTES = {"a", "b"}


def test_settings_are_read_defensively() -> None:
    assert VotingSettings.from_meta(None) == VotingSettings()
    odd = VotingSettings.from_meta({"state": "maybe", "secret": "no", "budget": 10_000})
    assert (odd.state, odd.secret, odd.budget) == ("off", True, 100)
    assert VotingSettings.from_meta({"state": "open", "secret": False, "budget": 3.0}).budget == 3


@pytest.mark.parametrize(
    ("settings", "role", "visible"),
    [
        (OPEN, Role.PARTICIPANT, False),
        (OPEN, Role.OBSERVER, False),
        (OPEN, Role.FACILITATOR, True),
        (VotingSettings(state="open", secret=False), Role.PARTICIPANT, True),
        (VotingSettings(state="closed", secret=True, revealed=True), Role.OBSERVER, True),
    ],
)
def test_tallies_visibility(settings: VotingSettings, role: Role, visible: bool) -> None:
    assert settings.tallies_visible_to(role) is visible


def test_budget_several_votes_removal_and_codes() -> None:
    box = VoteBox()
    assert box.cast("p", "a", 1, OPEN, NOTES) == 1
    assert box.cast("p", "a", 1, OPEN, NOTES) == 2
    with pytest.raises(ArdoiseError) as caught:
        box.cast("p", "b", 1, OPEN, NOTES)
    assert caught.value.code.value == "budget_exhausted"
    assert box.cast("p", "a", -1, OPEN, NOTES) == 1
    for note, delta, settings, code in [
        ("b", -1, OPEN, "not_found"),
        ("zz", 1, OPEN, "not_found"),
        ("a", 1, VotingSettings(state="closed"), "vote_closed"),
    ]:
        with pytest.raises(ArdoiseError) as caught:
            box.cast("p", note, delta, settings, NOTES)
        assert caught.value.code.value == code
    assert box.tallies(NOTES) == {"a": 1}
    # A deleted note gives its votes back.
    assert box.remaining("p", 2, {"b"}) == 2


def test_payload_never_shows_others_votes_when_hidden() -> None:
    box = VoteBox({"alice": {"a": 2}, "bob": {"b": 1}})
    payload = box.payload("bob", OPEN, NOTES, None)
    assert payload == {"mine": {"b": 1}, "remaining": 1, "tallies": None}
