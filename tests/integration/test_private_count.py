"""The count of private notes during a private writing phase (docs/protocol.md section 7.2).

Facilitators are told how many private notes the board holds, computed by the server; nobody is
told whose they are or what they say, and participants are not told the count at all. The attacker
below uses only stock clients (python-socketio with pycrdt, and the stock Yjs client in Node).
"""

from __future__ import annotations

from typing import Any

from pycrdt import Map, Text

from tests.conftest import create_board
from tests.support.server_process import ServerProcess
from tests.support.stock_client import StartStock
from tests.support.waiting import eventually
from tests.support.yclient import YClient, join_board, new_note

OK = {"ok": True}
SECRETS = ("l'idée cachée d'Alice", "la deuxième d'Alice", "celle de Bruno")
# Long, unique note ids, to look for them in every byte a client received.
A1, A2, B1 = "private-note-of-alice-1", "private-note-of-alice-2", "private-note-of-bruno-1"


def set_private_writing(on: bool):
    def edit(doc: Any) -> None:
        doc.get("meta", type=Map)["privateWriting"] = on

    return edit


def counts(client: YClient) -> list[dict[str, Any]]:
    return [args[0] for event, args in client.events if event == "private_count"]


def append_text(note_id: str, text: str):
    def edit(doc: Any) -> None:
        note = doc.get("notes", type=Map)[note_id]
        typed = note["text"]
        assert isinstance(typed, Text)
        typed += text

    return edit


async def test_facilitators_get_the_count_of_private_notes_and_nothing_else(
    server: ServerProcess, clients: list[YClient], stock: StartStock
) -> None:
    board = create_board(server.url)
    fac = await join_board(server.url, clients, board, "facilitator", {"name": "Fac"})
    alice = await join_board(server.url, clients, board, "participant", {"name": "Alice"})
    bruno = await join_board(server.url, clients, board, "participant", {"name": "Bruno"})
    # The attacker: a participant that opts in to every extension and listens to everything.
    mallory = await join_board(server.url, clients, board, "participant", {"name": "Mallory"})
    observer = await join_board(server.url, clients, board, "observer", {"name": "Projo"})
    for client in (alice, bruno, mallory, fac):
        await client.sync_private()
    # The same attacker as the stock Yjs client would be, with a participant's and with a
    # facilitator's token: it waits while the others write, then opens its private document.
    steps = [{"do": "connect"}, {"do": "wait"}, {"do": "syncPrivate"}, {"do": "notes"}]
    js_participant = await stock(
        {
            "board": board["id"],
            "token": board["tokens"]["participant"],
            "participant": {"name": "M"},
        },
        steps,
    )
    js_facilitator = await stock(
        {
            "board": board["id"],
            "token": board["tokens"]["facilitator"],
            "participant": {"name": "F"},
        },
        steps,
    )
    await js_participant.next("connect")
    await js_facilitator.next("connect")

    assert await fac.write("layout", set_private_writing(True)) == OK
    await eventually(lambda: counts(fac) == [{"notes": 0}], what="the count at the start")
    await eventually(lambda: alice.meta().get("privateWriting") is True)
    assert await alice.write("private", new_note(A1, SECRETS[0], alice.me)) == OK
    await eventually(lambda: counts(fac)[-1:] == [{"notes": 1}])
    # Typing in a note changes no count: nothing is sent per keystroke.
    assert await alice.write("private", append_text(A1, " (suite)")) == OK
    assert await alice.write("private", new_note(A2, SECRETS[1], alice.me)) == OK
    assert await bruno.write("private", new_note(B1, SECRETS[2], bruno.me)) == OK
    await eventually(lambda: counts(fac)[-1:] == [{"notes": 3}])
    assert counts(fac) == [{"notes": 0}, {"notes": 1}, {"notes": 2}, {"notes": 3}]

    # A facilitator arriving now is told the count at once.
    late = await join_board(server.url, clients, board, "facilitator", {"name": "Fac 2"})
    await eventually(lambda: counts(late) == [{"notes": 3}], what="the count on joining")

    await js_participant.go_on()
    await js_facilitator.go_on()
    for js in (js_participant, js_facilitator):
        assert (await js.next("syncPrivate"))["notes"] == {}
        assert (await js.next("notes"))["notes"] == {}
    # A marker written after everything else: once it arrived, so has all that came before.
    assert await fac.add_note("marker", "repère public") == OK
    for client in (mallory, observer, fac, late):
        await eventually(lambda c=client: "repère public" in c.note_texts())
    participant_events = (await js_participant.finish())["events"]
    facilitator_events = (await js_facilitator.finish())["events"]

    # The facilitator's stock client learnt the count: one number, nothing else.
    told = [e["args"] for e in facilitator_events if e["event"] == "private_count"]
    assert told[-1] == [{"notes": 3}], told
    assert all(len(args) == 1 and list(args[0]) == ["notes"] for args in told), told
    # The attacker learnt nothing: no count, no text, no note id, not who wrote.
    assert all(e["event"] != "private_count" for e in participant_events)
    assert counts(mallory) == [] and counts(observer) == [] and counts(alice) == []
    for client in (mallory, observer, fac, late):
        received = client.received_bytes()
        for secret in SECRETS:
            assert secret.encode() not in received, f"a private note reached {client.me}"
        for note_id in (A1, A2, B1):
            assert note_id.encode() not in received
    assert mallory.docs["private"].get("notes", type=Map).to_py() == {}
    assert fac.docs["private"].get("notes", type=Map).to_py() == {}

    # The end of the phase: the notes join the board for everyone.
    assert await fac.write("layout", set_private_writing(False)) == OK
    for client in (mallory, fac):
        await eventually(lambda c=client: {f"{SECRETS[0]} (suite)", *SECRETS[1:]} <= c.note_texts())
