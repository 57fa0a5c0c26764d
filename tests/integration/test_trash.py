"""The trash (docs/protocol.md section 2.8): a note deleted by anyone, or a whole board cleared in
one update, is kept with its last content; its author and the facilitator bring it back, live
for everyone; nobody else lists or restores it, however they try."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from pycrdt import Doc, Map

from server.protocol import encode_update
from tests.conftest import create_board
from tests.support.archive_api import get_trash, restore_note, trash_entries, versions
from tests.support.server_process import ServerProcess
from tests.support.stock_client import StartStock
from tests.support.waiting import eventually
from tests.support.yclient import YClient, join_board

OK = {"ok": True}


def delete_notes(*note_ids: str):
    def edit(doc: Doc) -> None:
        notes = doc.get("notes", type=Map)
        for note_id in note_ids:
            del notes[note_id]

    return edit


def clear_board(doc: Doc) -> None:
    doc.get("notes", type=Map).clear()


async def let_participants_change_every_note(facilitator: YClient) -> None:
    """The board setting under which one participant may delete another's note."""

    def edit(doc: Doc) -> None:
        doc.get("meta", type=Map)["editOthersNotes"] = True

    assert await facilitator.write("layout", edit) == OK


def credential(client: YClient) -> str:
    assert client.welcome is not None
    return str(client.welcome["credential"])


async def add_own_note(client: YClient, note_id: str, text: str, **extra: Any) -> None:
    """A note as the web client writes it: its author is the writer's own id and name."""
    fields = {"authorId": client.participant_id, "author": extra.pop("author", "Alice"), **extra}
    assert await client.add_note(note_id, text, **fields) == OK


async def test_a_note_deleted_by_a_colleague_goes_to_the_trash_and_its_author_brings_it_back(
    server: ServerProcess, clients: list[YClient]
) -> None:
    url = server.url
    board = create_board(url)
    participant_token = board["tokens"]["participant"]
    facilitator = await join_board(url, clients, board, "facilitator", {"name": "Fac"})
    alice = await join_board(url, clients, board, "participant", {"name": "Alice"})
    bob = await join_board(url, clients, board, "participant", {"name": "Bob"})
    await let_participants_change_every_note(facilitator)
    await add_own_note(alice, "a1", "l'idée d'Alice", x=50, y=60, color="green")
    await eventually(lambda: "a1" in bob.notes())

    assert await bob.write("notes", delete_notes("a1")) == OK
    # Acknowledged once the trash holds it: no waiting.
    [entry] = await trash_entries(url, board["id"], participant_token, credential(alice))
    assert entry["noteId"] == "a1"
    note = entry["note"]
    assert note["text"] == "l'idée d'Alice"
    assert note["rect"] == [50, 60, 160, 100]
    assert (note["color"], note["author"], note["authorId"]) == (
        "green",
        "Alice",
        alice.participant_id,
    )
    assert note["createdAt"] == 1 and "zone" in note
    assert entry["deletedBy"] == {"name": "Bob", "role": "participant"}
    assert entry["onBoard"] is False and entry["deletedAt"] > 0
    # The facilitator sees it; Bob, who deleted it but did not write it, does not.
    assert [
        e["noteId"] for e in await trash_entries(url, board["id"], board["tokens"]["facilitator"])
    ] == ["a1"]
    assert await trash_entries(url, board["id"], participant_token, credential(bob)) == []

    restored = await restore_note(
        url, board["id"], entry["id"], participant_token, credential(alice)
    )
    assert restored.status_code == 200, restored.text
    assert restored.json() == {"restored": entry["id"], "noteId": "a1"}
    for client in (alice, bob, facilitator):
        await eventually(
            lambda c=client: c.notes().get("a1", {}).get("text") == "l'idée d'Alice",
            what="the note back on every screen",
        )
    assert bob.notes()["a1"]["rect"] == [50, 60, 160, 100]
    assert bob.notes()["a1"]["authorId"] == alice.participant_id
    assert await trash_entries(url, board["id"], participant_token, credential(alice)) == []
    # Stored like any edit: a new connection reads it.
    again = await join_board(url, clients, board, "observer")
    assert again.notes()["a1"]["text"] == "l'idée d'Alice"


async def test_a_whole_board_cleared_in_one_update_is_all_in_the_trash_and_in_a_version(
    server: ServerProcess, clients: list[YClient]
) -> None:
    url = server.url
    board = create_board(url)
    facilitator_token = board["tokens"]["facilitator"]
    facilitator = await join_board(url, clients, board, "facilitator", {"name": "Fac"})
    alice = await join_board(url, clients, board, "participant", {"name": "Alice"})
    bob = await join_board(url, clients, board, "participant", {"name": "Bob"})
    await let_participants_change_every_note(facilitator)
    for i in range(12):
        assert await facilitator.add_note(f"f{i}", f"note {i}", x=10 + 200 * i) == OK
    await add_own_note(alice, "a1", "première")
    await add_own_note(alice, "a2", "seconde")
    await eventually(lambda: len(bob.notes()) == 14)

    update = bob.change("notes", clear_board)
    assert len(update) < 200  # one small update empties the board
    assert await bob.call("notes", encode_update(update)) == OK
    await eventually(lambda: facilitator.notes() == {} and alice.notes() == {})

    everything = await trash_entries(url, board["id"], facilitator_token)
    assert sorted(e["noteId"] for e in everything) == sorted(
        [f"f{i}" for i in range(12)] + ["a1", "a2"]
    )
    assert {e["deletedBy"]["name"] for e in everything} == {"Bob"}
    mine = await trash_entries(url, board["id"], board["tokens"]["participant"], credential(alice))
    assert sorted(e["noteId"] for e in mine) == ["a1", "a2"]
    # So many notes at once: the board as it was is kept as a version too.
    [before] = [
        v
        for v in await versions(url, board["id"], facilitator_token)
        if v["reason"] == "before_delete"
    ]
    assert before["notes"] == 14 and before["by"] == "Bob"

    for entry in mine:
        answer = await restore_note(
            url, board["id"], entry["id"], board["tokens"]["participant"], credential(alice)
        )
        assert answer.status_code == 200, answer.text
    await eventually(lambda: set(bob.notes()) == {"a1", "a2"})
    assert {n["text"] for n in bob.notes().values()} == {"première", "seconde"}


async def test_nobody_lists_or_restores_the_deleted_notes_of_another(
    server: ServerProcess, clients: list[YClient]
) -> None:
    url = server.url
    board = create_board(url)
    board_id, participant_token = board["id"], board["tokens"]["participant"]
    alice = await join_board(url, clients, board, "participant", {"name": "Alice"})
    await add_own_note(alice, "secret", "ce qu'Alice a retiré")
    assert await alice.write("notes", delete_notes("secret")) == OK
    [entry] = await trash_entries(url, board_id, participant_token, credential(alice))

    mallory = await join_board(url, clients, board, "participant", {"name": "Mallory"})
    other_board = create_board(url)
    elsewhere = await join_board(url, clients, other_board, "participant", {"name": "Alice"})
    forged = f"{alice.participant_id}.{'A' * 43}"
    refused_credentials = {
        None: 401,  # no credential at all
        "": 401,
        alice.participant_id: 401,  # her id, which every client sees in presence
        forged: 401,
        credential(elsewhere): 401,  # a credential of another board
        "x" * 5000: 401,
    }
    for sent, status in refused_credentials.items():
        listed = await get_trash(url, board_id, participant_token, sent)
        assert listed.status_code == status, (sent, listed.text)
        assert listed.json()["error"]["code"] == "unauthorized"
        answer = await restore_note(url, board_id, entry["id"], participant_token, sent)
        assert answer.status_code == status and answer.json()["error"]["code"] == "unauthorized"
        assert "ce qu'Alice" not in listed.text + answer.text

    # Mallory, as herself: an empty trash, and Alice's entry is no entry of hers.
    assert await trash_entries(url, board_id, participant_token, credential(mallory)) == []
    for entry_id in (entry["id"], "1", "0", "-1", "abc", "9" * 40):
        answer = await restore_note(url, board_id, entry_id, participant_token, credential(mallory))
        assert answer.status_code == 404, (entry_id, answer.text)
        assert answer.json()["error"]["code"] == "not_found"

    # The observer link sees no trash; a wrong or another board's token opens nothing.
    for token, status, code in (
        (board["tokens"]["observer"], 403, "forbidden"),
        ("not-a-token", 401, "unauthorized"),
        (other_board["tokens"]["facilitator"], 401, "unauthorized"),
    ):
        listed = await get_trash(url, board_id, token, credential(alice))
        assert (listed.status_code, listed.json()["error"]["code"]) == (status, code)
        answer = await restore_note(url, board_id, entry["id"], token, credential(alice))
        assert (answer.status_code, answer.json()["error"]["code"]) == (status, code)

    # Nothing was restored, and the entry is still Alice's.
    assert "secret" not in alice.notes() and "secret" not in mallory.notes()
    again = await trash_entries(url, board_id, participant_token, credential(alice))
    assert [e["id"] for e in again] == [entry["id"]]


async def test_a_restore_of_a_note_already_back_is_a_conflict_and_a_locked_board_refuses_it(
    server: ServerProcess, clients: list[YClient]
) -> None:
    url = server.url
    board = create_board(url)
    board_id, participant_token = board["id"], board["tokens"]["participant"]
    facilitator = await join_board(url, clients, board, "facilitator", {"name": "Fac"})
    alice = await join_board(url, clients, board, "participant", {"name": "Alice"})
    await add_own_note(alice, "n1", "une idée")
    assert await alice.write("notes", delete_notes("n1")) == OK
    [entry] = await trash_entries(url, board_id, participant_token, credential(alice))
    # Someone writes a note under the same id meanwhile.
    assert await facilitator.add_note("n1", "autre chose") == OK
    answer = await restore_note(url, board_id, entry["id"], participant_token, credential(alice))
    assert (answer.status_code, answer.json()["error"]["code"]) == (409, "conflict")
    [listed] = await trash_entries(url, board_id, participant_token, credential(alice))
    assert listed["onBoard"] is True
    assert await facilitator.write("notes", delete_notes("n1")) == OK

    def lock(doc: Doc) -> None:
        doc.get("meta", type=Map)["locked"] = True

    assert await facilitator.write("layout", lock) == OK
    answer = await restore_note(url, board_id, entry["id"], participant_token, credential(alice))
    assert (answer.status_code, answer.json()["error"]["code"]) == (403, "board_locked")
    # The facilitator may, lock or not; the other deleted note ("autre chose") is still there.
    answer = await restore_note(url, board_id, entry["id"], board["tokens"]["facilitator"])
    assert answer.status_code == 200, answer.text
    await eventually(lambda: alice.notes().get("n1", {}).get("text") == "une idée")


async def test_the_trash_keeps_the_newest_notes_up_to_its_limit_across_a_restart(
    own_server: Any, clients: list[YClient]
) -> None:
    server = own_server(ARDOISE_TRASH_NOTES="3")
    board = create_board(server.url)
    facilitator = await join_board(server.url, clients, board, "facilitator", {"name": "Fac"})
    for i in range(5):
        assert await facilitator.add_note(f"n{i}", f"note {i}") == OK
    for i in range(5):
        assert await facilitator.write("notes", delete_notes(f"n{i}")) == OK
    token = board["tokens"]["facilitator"]
    entries = await trash_entries(server.url, board["id"], token)
    assert [e["noteId"] for e in entries] == ["n4", "n3", "n2"]
    await facilitator.disconnect()
    server.restart()
    kept = await trash_entries(server.url, board["id"], token)
    assert [e["note"]["text"] for e in kept] == ["note 4", "note 3", "note 2"]
    answer = await restore_note(server.url, board["id"], kept[-1]["id"], token)
    assert answer.status_code == 200, answer.text
    reader = await join_board(server.url, clients, board, "observer")
    assert reader.notes()["n2"]["text"] == "note 2"


@pytest.mark.node
async def test_a_note_deleted_by_a_stock_yjs_client_is_restored_to_it_live(
    server: ServerProcess,
    clients: list[YClient],
    stock: StartStock,
) -> None:
    url = server.url
    board = create_board(url)
    facilitator = await join_board(url, clients, board, "facilitator", {"name": "Fac"})
    await let_participants_change_every_note(facilitator)
    alice = await join_board(url, clients, board, "participant", {"name": "Alice"})
    await add_own_note(alice, "a1", "à garder")
    zoe = await stock(
        {
            "board": board["id"],
            "token": board["tokens"]["participant"],
            "participant": {"name": "Zoé"},
        },
        [
            {"do": "connect"},
            {"do": "waitNote", "text": "à garder"},
            {"do": "deleteNote", "id": "a1"},
            {"do": "wait"},
            {"do": "waitNote", "text": "à garder"},
        ],
    )
    await zoe.next("connect")
    await zoe.next("waitNote")
    assert (await zoe.next("deleteNote"))["ack"] == OK
    [entry] = await trash_entries(
        url, board["id"], board["tokens"]["participant"], credential(alice)
    )
    assert entry["deletedBy"] == {"name": "Zoé", "role": "participant"}
    answer = await restore_note(
        url, board["id"], entry["id"], board["tokens"]["participant"], credential(alice)
    )
    assert answer.status_code == 200, answer.text
    await zoe.go_on()
    back = await zoe.next("waitNote")
    assert back["notes"]["a1"]["text"] == "à garder"
    await zoe.finish()


async def test_the_facilitators_backup_keeps_the_trash_and_a_restored_board_gets_it_back(
    server: ServerProcess, clients: list[YClient]
) -> None:
    url = server.url
    board = create_board(url)
    facilitator = await join_board(url, clients, board, "facilitator", {"name": "Fac"})
    alice = await join_board(url, clients, board, "participant", {"name": "Alice"})
    await add_own_note(alice, "gone", "retirée puis sauvegardée", x=40, y=50)
    assert await facilitator.add_note("kept", "toujours là") == OK
    assert await facilitator.write("notes", delete_notes("gone")) == OK

    async with httpx.AsyncClient(timeout=10) as http:
        exported = await http.get(
            f"{url}/api/boards/{board['id']}/export/json",
            headers={"Authorization": f"Bearer {board['tokens']['facilitator']}"},
        )
        assert exported.status_code == 200, exported.text
        backup = exported.json()
        [deleted] = backup["trash"]
        assert deleted["noteId"] == "gone"
        assert deleted["note"]["text"] == "retirée puis sauvegardée"
        assert deleted["deletedBy"] == {"name": "Fac", "role": "facilitator"}
        # Anyone else's export of the board leaves the trash out.
        for role in ("participant", "observer"):
            other = await http.get(
                f"{url}/api/boards/{board['id']}/export/json",
                headers={"Authorization": f"Bearer {board['tokens'][role]}"},
            )
            assert "trash" not in other.json() and "retirée" not in other.text

        restored = await http.post(f"{url}/api/boards/import", json=backup)
        assert restored.status_code == 201, restored.text
        copy = restored.json()
        # A trash that is not one is refused like any broken file, and no board is made.
        for broken in ({"trash": "x"}, {"trash": [{"noteId": "a b"}]}, {"trash": [[]]}):
            answer = await http.post(f"{url}/api/boards/import", json={**backup, **broken})
            assert (answer.status_code, answer.json()["error"]["code"]) == (422, "invalid")
        too_long = {"noteId": "n", "note": {"text": "x" * 2001}}
        answer = await http.post(f"{url}/api/boards/import", json={**backup, "trash": [too_long]})
        assert answer.status_code == 422

    token = copy["tokens"]["facilitator"]
    [entry] = await trash_entries(url, copy["id"], token)
    assert entry["noteId"] == "gone" and entry["note"]["rect"] == [40, 50, 160, 100]
    answer = await restore_note(url, copy["id"], entry["id"], token)
    assert answer.status_code == 200, answer.text
    reader = await join_board(url, clients, copy, "observer")
    assert {n["text"] for n in reader.notes().values()} == {
        "toujours là",
        "retirée puis sauvegardée",
    }
