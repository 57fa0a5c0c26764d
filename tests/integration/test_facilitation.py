"""Facilitators' controls, enforced by the server: votes, secrecy, join code, timer, private."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest
from pycrdt import Map

from server.protocol import encode_update
from server.settings import Limits
from tests.conftest import create_board
from tests.support.server_process import ServerProcess
from tests.support.waiting import eventually
from tests.support.yclient import ConnectRefused, YClient, join_board, new_note

# The credential the server issued to each person of each board (boards are never shared
# between tests): a person's later connections present it, and are that same person.
_CREDENTIALS: dict[tuple[str, str], str] = {}


async def join(url: str, clients: list[YClient], board: dict, role: str, person: str) -> YClient:
    """A client of `person`: a new identity from the server at their first connection, the same
    one (their credential) at the next ones."""
    known = _CREDENTIALS.get((board["id"], person))
    participant = {"name": person} if known is None else {"credential": known, "name": person}
    client = await join_board(url, clients, board, role, participant)
    assert client.welcome is not None
    if known is None:
        _CREDENTIALS[(board["id"], person)] = client.welcome["credential"]
    else:
        assert "credential" not in client.welcome  # issued once
    return client


def set_meta(key: str, value: Any):
    def edit(doc: Any) -> None:
        doc.get("meta", type=Map)[key] = value

    return edit


def voting(state: str, secret: bool = True, revealed: bool = False, budget: int = 3):
    return set_meta(
        "voting", Map({"state": state, "secret": secret, "revealed": revealed, "budget": budget})
    )


def api_board(url: str, board: dict, role: str) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {board['tokens'][role]}"}
    response = httpx.get(f"{url}/api/boards/{board['id']}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def refused(ack: Any, code: str) -> None:
    assert ack.get("ok") is False and ack["error"]["code"] == code, ack


async def voting_board(url: str, clients: list[YClient], **settings: Any):
    board = create_board(url)
    facilitator = await join(url, clients, board, "facilitator", "fac")
    for i in range(3):
        assert await facilitator.add_note(f"n{i}", f"idée {i}") == {"ok": True}
    alice = await join(url, clients, board, "participant", "alice")
    bob = await join(url, clients, board, "participant", "bob")
    assert await facilitator.write("layout", voting("open", **settings)) == {"ok": True}
    return board, facilitator, alice, bob


async def test_votes_budget_removal_and_remaining(
    server: ServerProcess, clients: list[YClient]
) -> None:
    _, _, alice, _ = await voting_board(server.url, clients, budget=3)
    assert await alice.vote("n0") == {"ok": True, "remaining": 2}
    assert await alice.vote("n0") == {"ok": True, "remaining": 1}  # several on one note
    assert await alice.vote("n1") == {"ok": True, "remaining": 0}
    refused(await alice.vote("n2"), "budget_exhausted")
    assert await alice.vote("n0", -1) == {"ok": True, "remaining": 1}  # removable
    refused(await alice.vote("n2", -1), "not_found")
    refused(await alice.vote("no-such-note"), "not_found")
    await eventually(lambda: alice.last_votes().get("mine") == {"n0": 1, "n1": 1})


@pytest.mark.parametrize(
    "payload",
    [
        None,
        "n0",
        {"noteId": "n0"},
        {"noteId": "n0", "delta": 2},
        {"noteId": "n0", "delta": True},
        {"noteId": 5, "delta": 1},
        {"noteId": "", "delta": 1},
    ],
)
async def test_bad_vote_payloads_are_refused(
    server: ServerProcess, clients: list[YClient], payload: Any
) -> None:
    _, _, alice, _ = await voting_board(server.url, clients)
    refused(await alice.sio.call("vote", payload, timeout=5), "bad_request")


async def test_closed_voting_and_observers(server: ServerProcess, clients: list[YClient]) -> None:
    board, facilitator, alice, _ = await voting_board(server.url, clients)
    observer = await join(server.url, clients, board, "observer", "projector")
    refused(await observer.vote("n0"), "forbidden")
    await facilitator.write("layout", voting("closed"))
    await eventually(lambda: alice.meta()["voting"]["state"] == "closed")
    refused(await alice.vote("n0"), "vote_closed")
    participant_refused = await alice.write("layout", voting("open"))
    refused(participant_refused, "forbidden")


async def test_secret_votes_reach_nobody_before_the_reveal(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board, facilitator, alice, bob = await voting_board(server.url, clients, budget=5)
    for _ in range(3):
        await alice.vote("n1")
    await bob.vote("n2")
    # The facilitator sees the tallies all along.
    await eventually(lambda: facilitator.last_votes().get("tallies") == {"n1": 3, "n2": 1})
    # Bob learns nothing of Alice's votes: not in events, not in any frame, not through the API.
    for event in bob.votes_events():
        assert event["tallies"] is None and set(event["mine"]) <= {"n2"}, event
    assert api_board(server.url, board, "participant")["votes"] is None
    assert api_board(server.url, board, "observer")["votes"] is None
    assert api_board(server.url, board, "facilitator")["votes"] == {"n1": 3, "n2": 1}
    late = await join(server.url, clients, board, "participant", "late")
    await eventually(lambda: late.votes_events())
    assert late.last_votes() == {"mine": {}, "remaining": 5, "tallies": None}

    await facilitator.write("layout", voting("closed", budget=5, revealed=True))
    for client in (alice, bob, late):
        await eventually(lambda c=client: c.last_votes().get("tallies") == {"n1": 3, "n2": 1})
    assert api_board(server.url, board, "observer")["votes"] == {"n1": 3, "n2": 1}


async def test_open_voting_shows_tallies_live(
    server: ServerProcess, clients: list[YClient]
) -> None:
    _, _, alice, bob = await voting_board(server.url, clients, secret=False)
    await alice.vote("n0")
    await eventually(lambda: bob.last_votes().get("tallies") == {"n0": 1})


async def test_votes_survive_a_restart_and_deleted_notes_give_votes_back(
    own_server, clients: list[YClient]
) -> None:
    server = own_server()
    board, facilitator, alice, _ = await voting_board(server.url, clients, budget=3)
    await alice.vote("n0")
    await alice.vote("n1")
    server.kill()
    for client in clients:
        await client.disconnect()
    server.start()
    alice = await join(server.url, clients, board, "participant", "alice")
    await eventually(lambda: alice.votes_events())
    assert alice.last_votes().get("mine") == {"n0": 1, "n1": 1}
    facilitator = await join(server.url, clients, board, "facilitator", "fac")
    await facilitator.write("notes", lambda d: d.get("notes", type=Map).pop("n1"))
    assert await alice.vote("n2") == {"ok": True, "remaining": 1}


async def test_join_code_can_be_closed_and_opened_again(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = create_board(server.url)
    url = f"{server.url}/api/boards/{board['id']}/join-code"
    as_participant = {"Authorization": f"Bearer {board['tokens']['participant']}"}
    assert httpx.post(url, json={"open": False}, headers=as_participant).status_code == 403
    as_facilitator = {"Authorization": f"Bearer {board['tokens']['facilitator']}"}
    assert httpx.post(url, json={"open": "no"}, headers=as_facilitator).status_code == 422
    closed = httpx.post(url, json={"open": False}, headers=as_facilitator)
    assert closed.json() == {"joinCode": board["joinCode"], "joinOpen": False}
    assert httpx.get(f"{server.url}/api/join/{board['joinCode']}").status_code == 404
    by_code = YClient(server.url)
    clients.append(by_code)
    with pytest.raises(ConnectRefused) as caught:
        await by_code.connect_raw({"board": board["id"], "token": board["joinCode"]})
    assert caught.value.data["code"] == "unauthorized"
    await join(server.url, clients, board, "participant", "via-link")  # links keep working
    share = api_board(server.url, board, "facilitator")["share"]
    assert share["joinOpen"] is False and share["joinCode"] == board["joinCode"]
    assert share["links"]["participant"] == board["links"]["participant"]
    assert "share" not in api_board(server.url, board, "participant")
    httpx.post(url, json={"open": True}, headers=as_facilitator)
    assert httpx.get(f"{server.url}/api/join/{board['joinCode']}").status_code == 200


async def test_timer_locks_the_board_when_asked_and_survives_reconnect(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = create_board(server.url)
    facilitator = await join(server.url, clients, board, "facilitator", "fac")
    participant = await join(server.url, clients, board, "participant", "p")
    ends_at = time.time() * 1000 + 400

    def start_timer(doc: Any) -> None:
        timer = doc.get("timer", type=Map)
        timer["label"] = "Tour 1"
        timer["durationMs"] = 400
        timer["endsAt"] = ends_at
        timer["lockOnEnd"] = True

    assert await facilitator.write("layout", start_timer) == {"ok": True}
    await eventually(lambda: participant.meta().get("locked") is True, timeout=5)
    refused(await participant.add_note("late", "trop tard"), "board_locked")
    timer = participant.docs["layout"].get("timer", type=Map).to_py()
    assert timer["endsAt"] == ends_at and timer["lockOnEnd"] is False
    # Unlocking afterwards sticks: the finished timer does not lock again.
    await facilitator.write("layout", set_meta("locked", False))
    again = await join(server.url, clients, board, "participant", "p2")
    assert again.meta()["locked"] is False
    assert again.docs["layout"].get("timer", type=Map).to_py()["label"] == "Tour 1"


async def test_private_notes_reach_only_their_author_until_revealed(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = create_board(server.url)
    facilitator = await join(server.url, clients, board, "facilitator", "fac")
    alice = await join(server.url, clients, board, "participant", "alice")
    alice_tab = await join(server.url, clients, board, "participant", "alice")
    bob = await join(server.url, clients, board, "participant", "bob")
    observer = await join(server.url, clients, board, "observer", "proj")
    for client in (facilitator, alice, alice_tab, bob):
        await client.sync_private()
    refused(await alice.write("private", new_note("early", "trop tôt", alice.me)), "forbidden")
    alice.docs["private"] = type(alice.docs["private"])()  # refused: start that doc afresh
    alice._watch_docs()
    await alice.sync_private()
    assert await facilitator.write("layout", set_meta("privateWriting", True)) == {"ok": True}
    await eventually(lambda: alice.meta().get("privateWriting") is True)
    secret = "idée secrète d'Alice"
    assert await alice.write("private", new_note("s1", secret, alice.me)) == {"ok": True}
    await eventually(lambda: "s1" in alice_tab.docs["private"].get("notes", type=Map).to_py())
    await bob.add_note("public", "note publique")  # a marker: what follows it has arrived
    await eventually(lambda: "note publique" in facilitator.note_texts())
    for other in (facilitator, bob, observer):
        assert secret.encode() not in other.received_bytes(), "a private note leaked"
    assert secret not in {n["text"] for n in api_board(server.url, board, "facilitator")["notes"]}
    refused(await observer.call("private", encode_update(b"\x00\x00")), "forbidden")

    assert await facilitator.write("layout", set_meta("privateWriting", False)) == {"ok": True}
    for client in (facilitator, alice, bob, observer):
        await eventually(lambda c=client: secret in c.note_texts())
    await eventually(lambda: alice.docs["private"].get("notes", type=Map).to_py() == {})


async def test_private_notes_survive_a_restart_during_the_phase(
    own_server, clients: list[YClient]
) -> None:
    server = own_server()
    board = create_board(server.url)
    facilitator = await join(server.url, clients, board, "facilitator", "fac")
    await facilitator.write("layout", set_meta("privateWriting", True))
    alice = await join(server.url, clients, board, "participant", "alice")
    await alice.sync_private()
    assert await alice.write("private", new_note("s1", "gardée au chaud", alice.me)) == {"ok": True}
    server.kill()
    for client in clients:
        await client.disconnect()
    server.start()
    alice = await join(server.url, clients, board, "participant", "alice")
    await alice.sync_private()
    assert alice.docs["private"].get("notes", type=Map).to_py()["s1"]["text"] == "gardée au chaud"
    facilitator = await join(server.url, clients, board, "facilitator", "fac")
    await facilitator.write("layout", set_meta("privateWriting", False))
    await eventually(lambda: "gardée au chaud" in facilitator.note_texts())


async def test_presence_cannot_pose_as_another_participant_or_role(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = create_board(server.url)
    fac = (await join(server.url, clients, board, "facilitator", "fac")).participant_id
    mallory = await join(server.url, clients, board, "participant", "mallory")
    refused(await mallory.send_presence(9, 1, {"participantId": fac, "name": "x"}), "forbidden")
    refused(
        await mallory.send_presence(
            9, 1, {"participantId": mallory.participant_id, "role": "facilitator"}
        ),
        "forbidden",
    )
    ok = await mallory.send_presence(
        9,
        1,
        {"participantId": mallory.participant_id, "role": "participant", "viewport": [0, 0, 1]},
    )
    assert ok == {"ok": True}


async def test_duplicate_a_board_with_or_without_notes(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = create_board(server.url, "Atelier de mars")
    facilitator = await join(server.url, clients, board, "facilitator", "fac")

    def add_zone(doc: Any) -> None:
        zone = Map({"title": "Où aller ?", "rect": [0, 0, 500, 500], "order": 1})
        doc.get("zones", type=Map)["z"] = zone

    await facilitator.write("layout", add_zone)
    await facilitator.add_note("n", "une idée")
    url = f"{server.url}/api/boards/{board['id']}/duplicate"
    as_participant = {"Authorization": f"Bearer {board['tokens']['participant']}"}
    assert httpx.post(url, json={}, headers=as_participant).status_code == 403
    as_facilitator = {"Authorization": f"Bearer {board['tokens']['facilitator']}"}
    assert httpx.post(url, json={"withNotes": "yes"}, headers=as_facilitator).status_code == 422
    for with_notes, notes in ((True, {"une idée"}), (False, set())):
        response = httpx.post(
            url, json={"title": "Copie", "withNotes": with_notes}, headers=as_facilitator
        )
        assert response.status_code == 201, response.text
        copy = response.json()
        assert copy["id"] != board["id"] and copy["joinCode"] != board["joinCode"]
        assert copy["tokens"]["facilitator"] != board["tokens"]["facilitator"]
        reader = await join(server.url, clients, copy, "participant", f"r{with_notes}")
        assert reader.meta()["title"] == "Copie"
        assert reader.docs["layout"].get("zones", type=Map).to_py()["z"]["title"] == "Où aller ?"
        assert reader.note_texts() == notes
    # The source is untouched.
    assert facilitator.meta()["title"] == "Atelier de mars"


async def test_duplicate_is_a_board_for_another_session(
    server: ServerProcess, clients: list[YClient]
) -> None:
    # Issue 22, point 3: a copy opened with the source's round ("Tour 1 … Temps écoulé"), its open
    # secret vote, its lock. The copy keeps what describes the board, not the session running.
    board = create_board(server.url, "Atelier de mars")
    facilitator = await join(server.url, clients, board, "facilitator", "fac")
    alice = await join(server.url, clients, board, "participant", "alice")
    assert await alice.add_note("n", "une idée") == {"ok": True}

    def run_a_session(doc: Any) -> None:
        meta = doc.get("meta", type=Map)
        meta["locked"] = True
        meta["anonymous"] = True
        meta["editOthersNotes"] = True
        meta["privateWriting"] = True
        meta["follow"] = facilitator.participant_id
        meta["voting"] = Map({"state": "open", "secret": False, "revealed": True, "budget": 3})
        meta["custom"] = "kept"
        ends_at = int(time.time() * 1000) + 60_000
        timer = doc.get("timer", type=Map)
        timer.update({"label": "Tour 1", "durationMs": 60_000, "endsAt": ends_at})
        timer.update({"remainingMs": None, "lockOnEnd": True})

    assert await facilitator.write("layout", run_a_session) == {"ok": True}
    as_facilitator = {"Authorization": f"Bearer {board['tokens']['facilitator']}"}
    response = httpx.post(
        f"{server.url}/api/boards/{board['id']}/duplicate", json={}, headers=as_facilitator
    )
    assert response.status_code == 201, response.text
    copy = response.json()
    reader = await join(server.url, clients, copy, "facilitator", "fac-copy")
    meta = reader.meta()
    assert meta["title"] == "Atelier de mars (copie)"
    # The board's description and rules stay.
    assert (meta["template"], meta["locale"]) == (board["template"], board["locale"])
    assert meta["anonymous"] is True and meta["editOthersNotes"] is True
    assert meta["custom"] == "kept"
    # The session does not.
    assert meta["locked"] is False
    assert meta["privateWriting"] is False
    assert meta["follow"] is None
    assert meta["voting"] == {"state": "off", "secret": False, "revealed": False, "budget": 3}
    timer = reader.docs["layout"].get("timer", type=Map).to_py()
    assert timer == {
        "label": "",
        "durationMs": 0,
        "endsAt": None,
        "remainingMs": None,
        "lockOnEnd": False,
    }
    assert reader.note_texts() == {"une idée"}
    # A participant of the copy writes at once: nothing locks it.
    bob = await join(server.url, clients, copy, "participant", "bob")
    assert await bob.add_note("m", "autre") == {"ok": True}
    # The source's session goes on.
    assert facilitator.meta()["locked"] is True
    assert facilitator.meta()["voting"]["state"] == "open"


LOCK_GRACE_S = Limits().lock_grace_s


def _append_text(note_id: str, more: str):
    def edit(doc: Any) -> None:
        text = doc.get("notes", type=Map)[note_id]["text"]
        text.insert(len(text), more)

    return edit


async def test_a_lock_lets_the_writer_finish_the_note_they_were_writing_for_a_few_seconds(
    server: ServerProcess, clients: list[YClient]
) -> None:
    # Issue 22, point 15: locking (or a timer that locks at the end) cut a sentence mid-word.
    # The attacker's side: a stock client that writes anything else during the grace, or keeps
    # writing after it, is refused `board_locked`.
    board = create_board(server.url)
    facilitator = await join(server.url, clients, board, "facilitator", "fac")
    alice = await join(server.url, clients, board, "participant", "alice")
    bob = await join(server.url, clients, board, "participant", "bob")
    assert await alice.add_note("a1", "Je pense que") == {"ok": True}
    assert await alice.add_note("a2", "Une autre idée", x=300) == {"ok": True}
    assert await bob.add_note("b1", "Bob écrit", x=600) == {"ok": True}
    writing = {"participantId": alice.participant_id, "name": "alice", "editing": "a1"}
    assert await alice.send_presence(4242, 1, writing) == {"ok": True}
    assert await facilitator.write("layout", set_meta("locked", True)) == {"ok": True}
    locked_at = time.monotonic()
    await eventually(lambda: alice.meta().get("locked") is True, what="alice sees the lock")

    # Alice finishes her sentence: accepted, and the others see it.
    assert await alice.write("notes", _append_text("a1", " nous devrions")) == {"ok": True}
    await eventually(
        lambda: bob.notes().get("a1", {}).get("text") == "Je pense que nous devrions",
        what="bob sees the end of alice's sentence",
    )

    # Nothing else, even during the grace.
    def move(doc: Any) -> None:
        doc.get("notes", type=Map)["a1"]["rect"] = [50, 50, 160, 100]

    def delete(doc: Any) -> None:
        del doc.get("notes", type=Map)["a1"]

    attempts = [
        (alice, new_note("a3", "Nouvelle", alice.participant_id)),
        (alice, move),
        (alice, delete),
        (alice, _append_text("a2", " encore")),  # a note she was not writing
        (bob, _append_text("b1", " aussi")),  # bob was writing nothing
    ]
    for who, edit in attempts:
        refused(await who.write("notes", edit), "board_locked")
        await who.resync("notes")
    assert time.monotonic() - locked_at < LOCK_GRACE_S, "the machine is too slow for this test"

    # After the grace, her text is locked too. (A documented period to let pass, not a wait
    # for something to happen.)
    await asyncio.sleep(max(0.0, locked_at + LOCK_GRACE_S + 0.5 - time.monotonic()))
    refused(await alice.write("notes", _append_text("a1", " faire")), "board_locked")
    await alice.resync("notes")
    assert alice.notes()["a1"]["text"] == "Je pense que nous devrions"
    assert set(alice.notes()) == {"a1", "a2", "b1"}

    # Unlocked then locked again: a grace of its own, for what is being written then.
    assert await facilitator.write("layout", set_meta("locked", False)) == {"ok": True}
    await eventually(lambda: alice.meta().get("locked") is False, what="alice sees the unlock")
    assert await alice.send_presence(4242, 2, {**writing, "editing": "a2"}) == {"ok": True}
    assert await facilitator.write("layout", set_meta("locked", True)) == {"ok": True}
    await eventually(lambda: alice.meta().get("locked") is True, what="alice sees the lock")
    assert await alice.write("notes", _append_text("a2", " encore")) == {"ok": True}
    refused(await alice.write("notes", _append_text("a1", " faire")), "board_locked")


async def test_a_lock_lets_the_writer_send_the_idea_they_were_writing_in_a_form_once(
    server: ServerProcess, clients: list[YClient]
) -> None:
    # "Ajouter une idée" has no note until it is sent: its id, chosen beforehand, is what the
    # writer's presence names in `editing`. The attacker's side: another note, the same id in
    # someone else's name, or a second note, are refused `board_locked`.
    board = create_board(server.url)
    facilitator = await join(server.url, clients, board, "facilitator", "fac")
    alice = await join(server.url, clients, board, "participant", "alice")
    bob = await join(server.url, clients, board, "participant", "bob")
    writing = {"participantId": alice.participant_id, "name": "alice", "editing": "idee-1"}
    assert await alice.send_presence(4243, 1, writing) == {"ok": True}
    assert await facilitator.write("layout", set_meta("locked", True)) == {"ok": True}
    locked_at = time.monotonic()
    await eventually(lambda: alice.meta().get("locked") is True, what="alice sees the lock")
    await eventually(lambda: bob.meta().get("locked") is True, what="bob sees the lock")

    refused(await bob.write("notes", new_note("idee-1", "Bob", bob.participant_id)), "board_locked")
    await bob.resync("notes")
    refused(
        await alice.write("notes", new_note("idee-2", "Autre", alice.participant_id)),
        "board_locked",
    )
    await alice.resync("notes")
    sent = new_note("idee-1", "Plus de soleil", alice.participant_id)
    assert await alice.write("notes", sent) == {"ok": True}
    await eventually(
        lambda: bob.notes().get("idee-1", {}).get("text") == "Plus de soleil",
        what="bob sees alice's idea",
    )

    # Once made, it is a note being written: its text only, not its place.
    def move(doc: Any) -> None:
        doc.get("notes", type=Map)["idee-1"]["rect"] = [50, 50, 160, 100]

    refused(await alice.write("notes", move), "board_locked")
    assert time.monotonic() - locked_at < LOCK_GRACE_S, "the machine is too slow for this test"
    await alice.resync("notes")
    assert set(alice.notes()) == {"idee-1"}


async def test_a_timer_that_locks_at_its_end_gives_the_same_grace(
    server: ServerProcess, clients: list[YClient]
) -> None:
    # Issue 22, point 15: the timer's lock cut the sentence as the facilitator's did.
    board = create_board(server.url)
    facilitator = await join(server.url, clients, board, "facilitator", "fac")
    alice = await join(server.url, clients, board, "participant", "alice")
    assert await alice.add_note("a1", "Pour finir") == {"ok": True}
    writing = {"participantId": alice.participant_id, "name": "alice", "editing": "a1"}
    assert await alice.send_presence(4343, 1, writing) == {"ok": True}

    def ends_soon(doc: Any) -> None:
        ends_at = int(time.time() * 1000) + 300
        timer = doc.get("timer", type=Map)
        timer.update({"label": "", "durationMs": 300, "endsAt": ends_at, "lockOnEnd": True})

    assert await facilitator.write("layout", ends_soon) == {"ok": True}
    await eventually(lambda: alice.meta().get("locked") is True, what="the timer's lock")
    assert await alice.write("notes", _append_text("a1", " ce point")) == {"ok": True}
    refused(
        await alice.write("notes", new_note("a2", "Après", alice.participant_id)), "board_locked"
    )
