"""The protocol against the real JavaScript Yjs: a stock client (yjs, y-protocols, lib0,
socket.io-client, nothing of ours) joins, syncs, writes, reads and is refused as docs/protocol.md
says.

The client is tests/integration/js/stock_client.mjs, run with Node; its packages come from
web/package.json (`make setup` installs them). Each scenario is a list of steps given to it as JSON;
it prints one JSON line per step, and `wait` steps let the test act in between.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import pytest
from pycrdt import Map, Text

from server.settings import Limits
from tests.conftest import create_board
from tests.support.server_process import ServerProcess
from tests.support.stock_client import StartStock
from tests.support.waiting import eventually
from tests.support.yclient import YClient

pytestmark = pytest.mark.node

OK = {"ok": True}
GRACE_S = Limits().lock_grace_s


def auth(board: dict[str, Any], token: str, pid: str = "js-1", name: str = "Zoé") -> dict[str, Any]:
    """As an older client wrote it: with an `id` of its choosing, which the server ignores."""
    return {"board": board["id"], "token": token, "participant": {"id": pid, "name": name}}


async def join_python(
    server: ServerProcess,
    clients: list[YClient],
    board: dict[str, Any],
    role: str = "participant",
    name: str = "Python",
) -> YClient:
    client = YClient(server.url)
    clients.append(client)
    await client.connect(
        board["id"], board["tokens"][role], {"id": f"py-{len(clients)}", "name": name}
    )
    return client


def assert_synced(connected: dict[str, Any], role: str) -> None:
    """Welcome received with this role, and every message of the handshake acknowledged."""
    assert connected["welcome"]["role"] == role, connected
    assert connected["handshake"] == {"layout": OK, "notes": OK}, connected
    # The answers to the server's sync step 1, one per document.
    replies = connected["stepTwo"]
    assert sorted(r["doc"] for r in replies) == ["layout", "notes"], connected
    assert all(r["ack"] == OK for r in replies), connected


def step_two_bytes(connected: dict[str, Any], doc: str) -> int:
    """Size of the client's answer to the server's sync step 1 for `doc`."""
    sizes = [r["bytes"] for r in connected["stepTwo"] if r["doc"] == doc]
    assert len(sizes) == 1, connected
    return int(sizes[0])


def refused(ack: dict[str, Any], code: str) -> bool:
    return ack.get("ok") is False and ack.get("error", {}).get("code") == code


# ---- scenarios -----------------------------------------------------------------------------------


async def test_js_participant_syncs_writes_and_reads(
    server: ServerProcess, clients: list[YClient], stock: StartStock
) -> None:
    board = create_board(server.url, title="Rétro d'équipe")
    py = await join_python(server, clients, board)
    js = await stock(
        auth(board, board["tokens"]["participant"]),
        [
            {"do": "connect"},
            {
                "do": "addNote",
                "id": "js1",
                "text": "écrit avec Yjs ✓",
                "x": 120,
                "y": 80,
                "color": "blue",
            },
            {"do": "waitNote", "text": "écrit avec pycrdt"},
        ],
    )

    connected = await js.next("connect")
    assert_synced(connected, "participant")
    assert connected["welcome"]["boardId"] == board["id"]
    # The server's id, not the one the client claimed.
    js_id = connected["welcome"]["participantId"]
    assert js_id != "js-1" and connected["welcome"]["credential"].startswith(js_id + ".")
    assert connected["welcome"]["limits"]["maxMessageBytes"] > 0
    assert connected["title"] == "Rétro d'équipe"

    assert (await js.next("addNote"))["ack"] == OK
    await eventually(lambda: "écrit avec Yjs ✓" in py.note_texts(), what="the JS note in pycrdt")
    note = py.notes()["js1"]
    assert note["rect"] == [120, 80, 160, 100]
    assert note["color"] == "blue"
    assert (note["authorId"], note["author"]) == (js_id, "Zoé")
    assert note["createdAt"] > 1_700_000_000_000
    assert note["z"] == 1
    # The text is a Y.Text (docs/board-schema.md), not a plain string.
    text = py.docs["notes"].get("notes", type=Map)["js1"]["text"]
    assert isinstance(text, Text) and str(text) == "écrit avec Yjs ✓"

    assert await py.add_note("py1", "écrit avec pycrdt") == OK
    seen = await js.next("waitNote")
    assert {n["text"] for n in seen["notes"].values()} == {"écrit avec Yjs ✓", "écrit avec pycrdt"}
    assert (await js.finish())["events"] == []

    # Stored: a newcomer gets the JS client's note.
    late = await join_python(server, clients, board)
    assert late.note_texts() == {"écrit avec Yjs ✓", "écrit avec pycrdt"}


async def test_join_code_in_lower_case_makes_a_participant(
    server: ServerProcess, clients: list[YClient], stock: StartStock
) -> None:
    board = create_board(server.url)
    py = await join_python(server, clients, board)
    js = await stock(
        auth(board, board["joinCode"].lower()),
        [
            {"do": "connect"},
            {"do": "addNote", "id": "code", "text": "venu par le code"},
        ],
    )
    assert_synced(await js.next("connect"), "participant")
    assert (await js.next("addNote"))["ack"] == OK
    await js.finish()
    await eventually(lambda: "venu par le code" in py.note_texts())


async def test_writes_beyond_the_role_are_forbidden(
    server: ServerProcess, clients: list[YClient], stock: StartStock
) -> None:
    board = create_board(server.url, title="Titre")
    py = await join_python(server, clients, board, "facilitator")
    observer = await stock(
        auth(board, board["tokens"]["observer"], "js-obs", "Projecteur"),
        [
            {"do": "connect"},
            {"do": "addNote", "id": "nope", "text": "un observateur écrit"},
            {"do": "notes"},
        ],
    )
    participant = await stock(
        auth(board, board["tokens"]["participant"], "js-part"),
        [
            {"do": "connect"},
            {"do": "setTitle", "title": "Titre changé par un participant"},
            {"do": "notes"},
        ],
    )

    # An observer syncs (its empty step 2 is no write) but may not write the notes.
    assert_synced(await observer.next("connect"), "observer")
    ack = (await observer.next("addNote"))["ack"]
    assert refused(ack, "forbidden"), ack
    assert ack["error"]["message"]
    # Following docs/protocol.md section 4, the client dropped its copy and synced a new one: the
    # note is gone.
    assert ack["resynced"] == OK
    assert (await observer.next("notes"))["notes"] == {}

    # A participant may not write the layout.
    assert_synced(await participant.next("connect"), "participant")
    ack = (await participant.next("setTitle"))["ack"]
    assert refused(ack, "forbidden"), ack
    assert ack["resynced"] == OK
    assert (await participant.next("notes"))["title"] == "Titre"

    await observer.finish()
    await participant.finish()
    # Nothing was applied, stored or relayed.
    late = await join_python(server, clients, board)
    for client in (py, late):
        assert client.notes() == {}
        assert client.meta()["title"] == "Titre"


def set_locked(locked: bool) -> Callable[[Any], None]:
    return lambda doc: doc.get("meta", type=Map).__setitem__("locked", locked)


async def test_refused_write_then_out_of_sync_until_resync(
    server: ServerProcess, clients: list[YClient], stock: StartStock
) -> None:
    board = create_board(server.url)
    facilitator = await join_python(server, clients, board, "facilitator")
    js = await stock(
        auth(board, board["tokens"]["participant"]),
        [
            {"do": "connect"},
            {"do": "addNote", "id": "a", "text": "acceptée"},
            {"do": "wait"},  # the facilitator locks the board
            {"do": "addNote", "id": "b", "text": "refusée: tableau verrouillé"},
            {"do": "wait"},  # the facilitator unlocks it
            # Keeps writing on the same Y.Doc: this update builds on the refused one.
            {"do": "addNote", "id": "c", "text": "construite sur la refusée"},
            {"do": "appendText", "id": "a", "text": " (modifiée)"},
            # What docs/protocol.md section 4 says to do: drop the document, a new Y.Doc, the
            # handshake again.
            {"do": "resync", "doc": "notes"},
            {"do": "notes"},
            {"do": "addNote", "id": "d", "text": "après resynchronisation"},
            {"do": "appendText", "id": "a", "text": " (modifiée)"},
        ],
        resyncOnRefusal=False,
    )

    connected = await js.next("connect")
    assert_synced(connected, "participant")
    assert (await js.next("addNote"))["ack"] == OK
    assert await facilitator.write("layout", set_locked(True)) == OK
    await js.go_on()
    ack = (await js.next("addNote"))["ack"]
    assert refused(ack, "board_locked"), ack
    assert await facilitator.write("layout", set_locked(False)) == OK
    await js.go_on()

    ack = (await js.next("addNote"))["ack"]
    assert refused(ack, "out_of_sync"), ack
    ack = (await js.next("appendText"))["ack"]
    assert refused(ack, "out_of_sync"), ack

    resynced = await js.next("resync")
    assert resynced["ack"] == OK
    assert resynced["clientId"] != connected["clientIds"]["notes"]
    # The new copy is the board's: the refused notes are gone, the accepted one is there.
    assert {n["text"] for n in (await js.next("notes"))["notes"].values()} == {"acceptée"}
    assert (await js.next("addNote"))["ack"] == OK
    assert (await js.next("appendText"))["ack"] == OK
    await js.finish()

    expected = {"acceptée (modifiée)", "après resynchronisation"}
    await eventually(lambda: facilitator.note_texts() == expected, what=f"notes == {expected}")
    late = await join_python(server, clients, board)
    assert late.note_texts() == expected


@pytest.mark.parametrize(
    ("code", "wrong"),
    [("board_not_found", "board"), ("unauthorized", "token")],
)
async def test_connection_refusals(
    server: ServerProcess, stock: StartStock, code: str, wrong: str
) -> None:
    board = create_board(server.url)
    credentials = auth(board, board["tokens"]["participant"])
    credentials[wrong] = "AAAAAAAAAAAAAAAAAAAAAA"
    js = await stock(credentials, [{"do": "connect"}])
    refusal = (await js.next("connect"))["connectError"]
    assert refusal["data"]["code"] == code, refusal
    assert refusal["data"]["message"], refusal
    assert refusal["message"] == code, refusal
    await js.finish()


@pytest.mark.parametrize("goodbye", [True, False], ids=["says-goodbye", "just-leaves"])
async def test_presence_both_ways_and_removed_on_leave(
    server: ServerProcess, clients: list[YClient], stock: StartStock, goodbye: bool
) -> None:
    board = create_board(server.url)
    py = await join_python(server, clients, board)
    assert await py.send_presence(4242, 1, {"name": "Python", "cursor": [1, 2]}) == OK
    js = await stock(
        auth(board, board["tokens"]["participant"]),
        [
            {"do": "connect"},
            # Handshake step 3: the states of those already present.
            {"do": "waitPresence", "name": "Python"},
            {"do": "presence", "state": {"name": "Zoé", "color": "pink"}},
            {"do": "wait"},
            {"do": "disconnect", "goodbye": goodbye},
        ],
    )
    assert_synced(await js.next("connect"), "participant")
    seen = (await js.next("waitPresence"))["presence"]
    assert seen == {"4242": {"name": "Python", "cursor": [1, 2]}}

    announced = await js.next("presence")
    assert announced["ack"] == OK
    js_id = announced["clientId"]
    await eventually(lambda: py.presence.get(js_id, {}).get("name") == "Zoé", what="JS presence")
    assert py.presence[js_id] == {"name": "Zoé", "color": "pink"}

    await js.go_on()
    await js.next("disconnect")
    await eventually(lambda: js_id not in py.presence, what="JS presence removed")
    await js.finish()


async def test_offline_edits_merge_on_reconnect(
    server: ServerProcess, clients: list[YClient], stock: StartStock
) -> None:
    board = create_board(server.url)
    py = await join_python(server, clients, board)
    js = await stock(
        auth(board, board["tokens"]["participant"]),
        [
            {"do": "connect"},
            {"do": "addNote", "id": "shared", "text": "avant"},
            {"do": "disconnect"},
            # Offline: edits stay in the Y.Doc, nothing is sent.
            {"do": "addNote", "id": "offline", "text": "écrit hors ligne"},
            {"do": "appendText", "id": "shared", "text": " A"},
            {"do": "wait"},  # meanwhile the Python client writes on the server
            # Same Y.Doc, same socket: the handshake sends our state vector, and our answer to the
            # server's sync step 1 carries the offline edits.
            {"do": "connect"},
            {"do": "waitNote", "text": "écrit en ligne"},
        ],
    )
    first = await js.next("connect")
    assert_synced(first, "participant")
    assert (await js.next("addNote"))["ack"] == OK
    await eventually(lambda: "avant" in py.note_texts())
    await js.next("disconnect")
    assert (await js.next("addNote"))["ack"] is None  # offline: not sent
    assert (await js.next("appendText"))["ack"] is None
    assert await py.add_note("online", "écrit en ligne") == OK
    await js.go_on()

    again = await js.next("connect")
    assert_synced(again, "participant")
    assert again["clientIds"] == first["clientIds"]  # the same documents
    # The offline edits travelled in the answer to the server's sync step 1 of `notes`.
    assert step_two_bytes(again, "notes") > step_two_bytes(first, "notes") + 20, again
    assert step_two_bytes(again, "layout") == step_two_bytes(first, "layout"), again
    expected = {"avant A", "écrit hors ligne", "écrit en ligne"}
    await eventually(lambda: py.note_texts() == expected, what=f"Python sees {expected}")
    merged = await js.next("waitNote")
    assert {n["text"] for n in merged["notes"].values()} == expected
    await js.finish()
    late = await join_python(server, clients, board)
    assert late.note_texts() == expected


# ---- presence across reconnections, between two stock clients ------------------------------------


async def test_reconnecting_js_client_sees_those_present_again(
    server: ServerProcess, stock: StartStock
) -> None:
    board = create_board(server.url)
    token = board["tokens"]["participant"]
    alice = await stock(
        auth(board, token, "js-a", "Alice"),
        [{"do": "connect"}, {"do": "presence", "state": {"name": "Alice"}}, {"do": "wait"}],
    )
    assert_synced(await alice.next("connect"), "participant")
    assert (await alice.next("presence"))["ack"] == OK
    bob = await stock(
        auth(board, token, "js-b", "Bob"),
        [
            {"do": "connect"},
            {"do": "waitPresence", "name": "Alice"},
            {"do": "disconnect"},
            {"do": "connect"},
            # Well under y-protocols' 15 s renewal: step 3 of the handshake must do it.
            {"do": "waitPresence", "name": "Alice", "timeout": 3000},
        ],
    )
    assert_synced(await bob.next("connect"), "participant")
    await bob.next("waitPresence")
    await bob.next("disconnect")
    assert_synced(await bob.next("connect"), "participant")
    await bob.next("waitPresence")
    await bob.finish()
    await alice.go_on()
    await alice.finish()


@pytest.mark.parametrize(
    "goodbye",
    # A departed client's presence is removed at its own clock, as y-protocols does: at clock + 1,
    # its state after a reconnect would be ignored by y-protocols peers for up to 15 s.
    [True, False],
    ids=["says-goodbye", "just-leaves"],
)
async def test_others_see_a_reconnecting_js_client_again(
    server: ServerProcess, stock: StartStock, goodbye: bool
) -> None:
    board = create_board(server.url)
    token = board["tokens"]["participant"]
    alice = await stock(
        auth(board, token, "js-a", "Alice"),
        [
            {"do": "connect"},
            {"do": "presence", "state": {"name": "Alice"}},
            {"do": "wait"},
            {"do": "disconnect", "goodbye": goodbye},
            {"do": "wait"},
            {"do": "connect"},
            {"do": "wait"},
        ],
    )
    assert_synced(await alice.next("connect"), "participant")
    assert (await alice.next("presence"))["ack"] == OK
    bob = await stock(
        auth(board, token, "js-b", "Bob"),
        [
            {"do": "connect"},
            {"do": "waitPresence", "name": "Alice"},
            {"do": "wait"},
            {"do": "waitNoPresence", "name": "Alice"},
            {"do": "wait"},
            # Well under y-protocols' 15 s renewal.
            {"do": "waitPresence", "name": "Alice", "timeout": 3000},
        ],
    )
    assert_synced(await bob.next("connect"), "participant")
    await bob.next("waitPresence")
    await alice.go_on()
    await alice.next("disconnect")
    await bob.go_on()
    await bob.next("waitNoPresence")
    await alice.go_on()
    assert_synced(await alice.next("connect"), "participant")
    await bob.go_on()
    await bob.next("waitPresence")
    await bob.finish()
    await alice.go_on()
    await alice.finish()


# ---- identities the server issues (docs/protocol.md section 3) ----------------------------------


async def test_js_client_claiming_anothers_id_gets_none_of_their_data(
    server: ServerProcess, clients: list[YClient], stock: StartStock
) -> None:
    board = create_board(server.url)
    facilitator = await join_python(server, clients, board, "facilitator")
    assert await facilitator.add_note("n0", "idée") == OK

    def meta(doc: Any) -> None:
        m = doc.get("meta", type=Map)
        m["voting"] = Map({"state": "open", "secret": True, "revealed": False, "budget": 3})
        m["privateWriting"] = True

    assert await facilitator.write("layout", meta) == OK
    alice = await join_python(server, clients, board, name="Alice")
    await eventually(lambda: alice.meta().get("privateWriting") is True)
    await alice.sync_private()

    def secret_note(doc: Any) -> None:
        doc.get("notes", type=Map)["s1"] = Map(
            {"text": Text("secret d'Alice"), "author": "A", "authorId": alice.me}
        )

    assert await alice.write("private", secret_note) == OK
    assert (await alice.vote("n0"))["ok"] is True
    alice_id = alice.participant_id  # what every client sees in her presence
    claims = [
        {"id": alice_id, "name": "Alice"},
        {"id": alice_id, "credential": alice_id, "name": "Alice"},
        {"credential": f"{alice_id}.{'x' * 43}", "name": "Alice"},
    ]
    for claim in claims:
        js = await stock(
            {"board": board["id"], "token": board["tokens"]["participant"], "participant": claim},
            [
                {"do": "connect"},
                {"do": "syncPrivate"},
                {"do": "votes"},
                {"do": "vote", "noteId": "n0", "delta": -1},
            ],
        )
        connected = await js.next("connect")
        assert_synced(connected, "participant")
        assert connected["welcome"]["participantId"] != alice_id
        private = await js.next("syncPrivate")
        assert private["ack"] == OK and private["notes"] == {}
        assert (await js.next("votes"))["votes"] == {"mine": {}, "remaining": 3, "tallies": None}
        assert refused((await js.next("vote"))["ack"], "not_found")
        await js.finish()
    # Alice's data, unchanged.
    await eventually(lambda: facilitator.last_votes().get("tallies") == {"n0": 1})
    assert alice.last_votes()["mine"] == {"n0": 1}
    assert alice.docs["private"].get("notes", type=Map).to_py()["s1"]["text"] == "secret d'Alice"


async def test_js_client_reconnecting_with_its_credential_is_the_same_person(
    server: ServerProcess, clients: list[YClient], stock: StartStock
) -> None:
    board = create_board(server.url)
    facilitator = await join_python(server, clients, board, "facilitator")
    assert await facilitator.add_note("n0", "idée") == OK

    def open_voting(doc: Any) -> None:
        m = doc.get("meta", type=Map)
        m["voting"] = Map({"state": "open", "secret": True, "revealed": False, "budget": 3})

    assert await facilitator.write("layout", open_voting) == OK
    js = await stock(
        {
            "board": board["id"],
            "token": board["tokens"]["participant"],
            "participant": {"name": "Z"},
        },
        [
            {"do": "connect"},
            {"do": "vote", "noteId": "n0", "delta": 1},
            {"do": "disconnect"},
            {"do": "connect"},
            {"do": "votes"},
            {"do": "vote", "noteId": "n0", "delta": -1},
        ],
    )
    first = await js.next("connect")
    assert_synced(first, "participant")
    assert first["welcome"]["credential"].startswith(first["welcome"]["participantId"] + ".")
    assert (await js.next("vote"))["ack"] == {"ok": True, "remaining": 2}
    await js.next("disconnect")
    again = await js.next("connect")
    assert_synced(again, "participant")
    assert again["welcome"]["participantId"] == first["welcome"]["participantId"]
    assert "credential" not in again["welcome"]
    assert (await js.next("votes"))["votes"]["mine"] == {"n0": 1}
    assert (await js.next("vote"))["ack"] == {"ok": True, "remaining": 3}
    await js.finish()
    await eventually(lambda: facilitator.last_votes().get("tallies") == {})


async def test_js_participant_cannot_move_delete_or_clear_others_notes(
    server: ServerProcess, clients: list[YClient], stock: StartStock
) -> None:
    """A stock Yjs client with the participant link, against everyone else's notes (the board's
    default: participants change only their own). Each attempt is refused and changes nothing;
    its own notes stay its to change."""
    board = create_board(server.url)
    alice = await join_python(server, clients, board, name="Alice")
    assert await alice.add_note("a1", "idée d'Alice") == OK
    assert await alice.add_note("a2", "autre idée") == OK
    before = alice.notes()
    js = await stock(
        auth(board, board["tokens"]["participant"]),
        [
            {"do": "connect"},
            {"do": "moveNote", "id": "a1", "x": 900, "y": 900},
            {"do": "resync", "doc": "notes"},
            {"do": "deleteNote", "id": "a1"},
            {"do": "resync", "doc": "notes"},
            {"do": "clearNotes"},
            {"do": "resync", "doc": "notes"},
            {"do": "appendText", "id": "a2", "text": " (piraté)"},
            {"do": "resync", "doc": "notes"},
            {"do": "addNote", "id": "mine", "text": "la mienne"},
            {"do": "moveNote", "id": "mine", "x": 300, "y": 200},
            {"do": "deleteNote", "id": "mine"},
            {"do": "notes"},
        ],
    )
    assert_synced(await js.next("connect"), "participant")
    for attempt in ("moveNote", "deleteNote", "clearNotes", "appendText"):
        assert refused((await js.next(attempt))["ack"], "forbidden"), attempt
        assert (await js.next("resync"))["ack"] == OK
    assert (await js.next("addNote"))["ack"] == OK
    assert (await js.next("moveNote"))["ack"] == OK
    assert (await js.next("deleteNote"))["ack"] == OK
    seen = (await js.next("notes"))["notes"]
    assert {note_id: note["text"] for note_id, note in seen.items()} == {
        "a1": "idée d'Alice",
        "a2": "autre idée",
    }
    await js.finish()
    late = await join_python(server, clients, board)
    assert late.notes() == before


async def test_a_stock_client_may_only_finish_its_note_during_the_lock_s_grace(
    server: ServerProcess, clients: list[YClient], stock: StartStock
) -> None:
    # Issue 22, point 15, the attacker's side with the real Yjs: during the lock's grace a stock
    # client may end the text of the note its presence said it was writing, and nothing else
    # (no new note, no move); after the grace, not even that (docs/protocol.md section 7.1).
    board = create_board(server.url)
    facilitator = await join_python(server, clients, board, "facilitator")
    js = await stock(
        auth(board, board["tokens"]["participant"]),
        [
            {"do": "connect"},
            {"do": "addNote", "id": "a1", "text": "Je pense que"},
            {"do": "presence", "state": {"name": "Zoé", "editing": "a1"}},
            {"do": "wait"},  # the facilitator locks the board
            {"do": "appendText", "id": "a1", "text": " nous devrions"},
            {"do": "addNote", "id": "a2", "text": "glissée pendant la grâce"},
            {"do": "moveNote", "id": "a1", "x": 900, "y": 900},
            {"do": "wait"},  # the grace ends
            {"do": "appendText", "id": "a1", "text": " encore"},
            {"do": "notes"},
        ],
    )
    assert_synced(await js.next("connect"), "participant")
    assert (await js.next("addNote"))["ack"] == OK
    assert (await js.next("presence"))["ack"] == OK
    assert await facilitator.write("layout", set_locked(True)) == OK
    locked_at = time.monotonic()
    await js.go_on()
    assert (await js.next("appendText"))["ack"] == OK
    for step in ("addNote", "moveNote"):
        ack = (await js.next(step))["ack"]
        assert refused(ack, "board_locked"), (step, ack)
    assert time.monotonic() - locked_at < GRACE_S, "the machine is too slow for this test"
    # A documented period to let pass, not a wait for something to happen.
    await asyncio.sleep(max(0.0, locked_at + GRACE_S + 0.5 - time.monotonic()))
    await js.go_on()
    ack = (await js.next("appendText"))["ack"]
    assert refused(ack, "board_locked"), ack
    notes = (await js.next("notes"))["notes"]
    assert {i: n["text"] for i, n in notes.items()} == {"a1": "Je pense que nous devrions"}
    assert notes["a1"]["rect"][:2] != [900, 900]
    await js.finish()
    assert facilitator.note_texts() == {"Je pense que nous devrions"}
