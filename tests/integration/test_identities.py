"""Identities the server issues (docs/protocol.md section 3), tried as an attacker would: with the
participant link and what the board shows of others (their id in presence), nobody gets another
participant's private notes or ballot, nor removes their votes; one address cannot mint voters;
a credential makes a reconnection the same person."""

from __future__ import annotations

from typing import Any

from pycrdt import Map

from tests.conftest import create_board
from tests.support.server_process import ServerProcess
from tests.support.waiting import eventually
from tests.support.yclient import ConnectRefused, YClient, join_board, new_note

SECRET = "la note privée d'Alice"


def set_meta(key: str, value: Any):
    def edit(doc: Any) -> None:
        doc.get("meta", type=Map)[key] = value

    return edit


def voting(budget: int = 3, secret: bool = True):
    return set_meta(
        "voting",
        Map({"state": "open", "secret": secret, "revealed": False, "budget": budget}),
    )


def private_notes(client: YClient) -> dict[str, Any]:
    return client.docs["private"].get("notes", type=Map).to_py() or {}


async def connect(
    url: str, clients: list[YClient], board: dict, participant: dict[str, Any] | None
) -> YClient:
    client = YClient(url)
    clients.append(client)
    await client.connect(board["id"], board["tokens"]["participant"], participant)
    return client


async def victim_board(url: str, clients: list[YClient]) -> tuple[dict, YClient, YClient]:
    """A board where Alice has a private note and two secret votes on n0, and shows her presence."""
    board = create_board(url)
    facilitator = await join_board(url, clients, board, "facilitator", {"name": "Fac"})
    for i in range(3):
        assert await facilitator.add_note(f"n{i}", f"idée {i}") == {"ok": True}
    assert await facilitator.write("layout", voting()) == {"ok": True}
    assert await facilitator.write("layout", set_meta("privateWriting", True)) == {"ok": True}
    alice = await join_board(url, clients, board, "participant", {"name": "Alice"})
    await eventually(lambda: alice.meta().get("privateWriting") is True)
    await alice.sync_private()
    assert await alice.write("private", new_note("s1", SECRET, alice.me)) == {"ok": True}
    assert (await alice.vote("n0"))["ok"] and (await alice.vote("n0"))["ok"]
    state = {"participantId": alice.participant_id, "name": "Alice", "role": "participant"}
    assert await alice.send_presence(77, 1, state) == {"ok": True}
    await eventually(lambda: facilitator.last_votes().get("tallies") == {"n0": 2})
    return board, facilitator, alice


async def assert_alice_unchanged(board: dict, facilitator: YClient, alice: YClient) -> None:
    assert alice.last_votes()["mine"] == {"n0": 2} and alice.last_votes()["remaining"] == 1
    assert facilitator.last_votes()["tallies"] == {"n0": 2}
    assert facilitator.last_votes()["voters"] == 1
    assert private_notes(alice)["s1"]["text"] == SECRET
    # What the server holds, read again by a new connection of hers.
    assert alice.welcome is not None
    again = YClient(alice.url)
    try:
        await again.connect(
            board["id"],
            board["tokens"]["participant"],
            {"credential": alice.welcome["credential"], "name": "Alice"},
        )
        assert again.participant_id == alice.participant_id
        await again.sync_private()
        assert private_notes(again)["s1"]["text"] == SECRET
        await eventually(lambda: again.votes_events())
        assert again.last_votes()["mine"] == {"n0": 2}
    finally:
        await again.disconnect()


async def test_claiming_a_visible_participant_id_gets_nothing_of_theirs(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board, facilitator, alice = await victim_board(server.url, clients)
    # Mallory reads Alice's id where every client sees it: her presence.
    mallory_eyes = await connect(server.url, clients, board, {"name": "Mallory"})
    await eventually(lambda: any(s.get("name") == "Alice" for s in mallory_eyes.presence.values()))
    [alice_id] = [s["participantId"] for s in mallory_eyes.presence.values()]
    assert alice_id == alice.participant_id
    forged = f"{alice_id}.{'A' * 43}"
    for participant in (
        {"id": alice_id, "name": "Alice"},  # the id as older clients sent it
        {"credential": alice_id, "name": "Alice"},  # the visible id as a credential
        {"credential": forged, "name": "Alice"},  # a forged signature
        {"id": alice_id, "credential": forged, "name": "Alice"},
    ):
        mallory = await connect(server.url, clients, board, participant)
        assert mallory.participant_id != alice_id, participant
        assert mallory.welcome is not None and "credential" in mallory.welcome  # a new person
        await mallory.sync_private()
        assert private_notes(mallory) == {}
        assert SECRET.encode() not in mallory.received_bytes()
        await eventually(lambda m=mallory: m.votes_events())
        assert mallory.last_votes() == {"mine": {}, "remaining": 3, "tallies": None}
        ack = await mallory.vote("n0", -1)
        assert ack["ok"] is False and ack["error"]["code"] == "not_found", ack
    await assert_alice_unchanged(board, facilitator, alice)


async def test_a_credential_opens_only_the_board_it_was_issued_for(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board_a, board_b = create_board(server.url), create_board(server.url)
    alice = await connect(server.url, clients, board_a, {"name": "Alice"})
    assert alice.welcome is not None
    elsewhere = await connect(
        server.url, clients, board_b, {"credential": alice.welcome["credential"]}
    )
    assert elsewhere.participant_id != alice.participant_id
    again = await connect(server.url, clients, board_a, {"credential": alice.welcome["credential"]})
    assert again.participant_id == alice.participant_id


async def test_a_reconnection_with_the_credential_is_the_same_person(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board, facilitator, alice = await victim_board(server.url, clients)
    assert alice.welcome is not None
    credential, alice_id = alice.welcome["credential"], alice.participant_id
    await alice.disconnect()
    back = await connect(server.url, clients, board, {"credential": credential, "name": "Alice"})
    assert back.participant_id == alice_id
    assert back.welcome is not None and "credential" not in back.welcome  # nothing new issued
    await back.sync_private()
    assert private_notes(back)["s1"]["text"] == SECRET
    await eventually(lambda: back.votes_events())
    assert back.last_votes()["mine"] == {"n0": 2}
    # Hers to remove, and her presence state may carry her id.
    assert (await back.vote("n0", -1)) == {"ok": True, "remaining": 2}
    await eventually(lambda: facilitator.last_votes().get("tallies") == {"n0": 1})
    state = {"participantId": back.participant_id, "name": "Alice", "role": "participant"}
    assert await back.send_presence(78, 1, state) == {"ok": True}
    # A credential is a secret: never in the server's log.
    assert credential not in server.log()


async def test_one_address_cannot_mint_more_voters_than_its_bucket(
    own_server, clients: list[YClient]
) -> None:
    server = own_server(ARDOISE_NEW_PARTICIPANTS_PER_MINUTE="4")
    board = create_board(server.url)
    facilitator = await join_board(server.url, clients, board, "facilitator", {"name": "Fac"})
    assert await facilitator.add_note("n0", "idée") == {"ok": True}
    assert await facilitator.write("layout", voting(budget=3)) == {"ok": True}
    voters: list[YClient] = []
    refusals: list[str | None] = []
    for i in range(5):  # five fresh connections, no credential: three more people at most
        try:
            voters.append(await connect(server.url, clients, board, {"name": f"v{i}"}))
        except ConnectRefused as refused:
            refusals.append(refused.message)
    assert len(voters) == 3 and refusals == ["rate_limited", "rate_limited"]
    for voter in voters:
        for _ in range(3):
            assert (await voter.vote("n0"))["ok"] is True
        ack = await voter.vote("n0")
        assert ack["ok"] is False and ack["error"]["code"] == "budget_exhausted", ack
    await eventually(lambda: facilitator.last_votes().get("tallies") == {"n0": 9})
    # The facilitator sees how many people voted; participants do not while the vote is secret.
    assert facilitator.last_votes()["voters"] == 3
    assert "voters" not in voters[0].last_votes()
    # An identity already issued costs nothing to come back with.
    first = voters[0]
    assert first.welcome is not None
    credential, first_id = first.welcome["credential"], first.participant_id
    await first.disconnect()
    back = await connect(server.url, clients, board, {"credential": credential})
    assert back.participant_id == first_id
