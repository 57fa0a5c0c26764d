"""Groups of notes (themes): who may make, rename, fold and undo them, judged by the server
(docs/protocol.md section 4, "Judging notes"), and a vote on a group as a whole (section 5).
Tried here as a participant with the link would, with a client of real parts."""

from __future__ import annotations

from typing import Any

import httpx
from pycrdt import Map, Text

from tests.conftest import create_board
from tests.integration.test_history import wait_version
from tests.support.archive_api import restore_board_file, restore_version
from tests.support.server_process import ServerProcess
from tests.support.stock_client import StartStock
from tests.support.waiting import eventually
from tests.support.yclient import YClient, join_board
from tests.support.yeswiki_page import notes as wiki_notes
from tests.support.yeswiki_page import read, show

OK = {"ok": True}


def refused(ack: Any, code: str) -> None:
    assert ack["ok"] is False and ack["error"]["code"] == code, ack


async def join(
    server: ServerProcess, clients: list[YClient], board: dict, role: str = "participant"
) -> YClient:
    return await join_board(server.url, clients, board, role, {"name": role.capitalize()})


def new_group(group_id: str, created_by: Any, title: Any = "Mobilité", notes: tuple = ()):
    """A group, and its notes put in it, in one update (as the web client's "Regrouper")."""

    def edit(doc: Any) -> None:
        fields: dict[str, Any] = {"title": title, "createdAt": 1, "folded": False}
        if created_by is not None:
            fields["createdBy"] = created_by
        doc.get("groups", type=Map)[group_id] = Map(fields)
        for note_id in notes:
            doc.get("notes", type=Map)[note_id]["groupId"] = group_id

    return edit


def set_in_group(group_id: str, key: str, value: Any):
    def edit(doc: Any) -> None:
        doc.get("groups", type=Map)[group_id][key] = value

    return edit


def delete_group(group_id: str):
    def edit(doc: Any) -> None:
        doc.get("groups", type=Map).pop(group_id)

    return edit


def groups_of(client: YClient) -> dict[str, Any]:
    return client.docs["notes"].get("groups", type=Map).to_py() or {}


async def test_a_participant_groups_their_notes_and_others_see_the_group(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = create_board(server.url)
    alice = await join(server, clients, board)
    bob = await join(server, clients, board)
    assert await alice.add_note("a1", "vélo") == OK
    assert await alice.add_note("a2", "tram") == OK
    assert await alice.write("notes", new_group("g1", alice.me, notes=("a1", "a2"))) == OK
    await eventually(lambda: groups_of(bob).get("g1", {}).get("title") == "Mobilité")
    await eventually(lambda: bob.notes()["a2"].get("groupId") == "g1")
    # Its creator renames and folds it.
    assert await alice.write("notes", set_in_group("g1", "title", "Transports")) == OK
    assert await alice.write("notes", set_in_group("g1", "folded", True)) == OK
    await eventually(lambda: groups_of(bob)["g1"] == {**groups_of(alice)["g1"]})
    assert groups_of(bob)["g1"]["folded"] is True
    view = httpx.get(
        f"{server.url}/api/boards/{board['id']}",
        headers={"Authorization": f"Bearer {board['tokens']['observer']}"},
    ).json()
    assert [(g["id"], g["title"], g["folded"]) for g in view["groups"]] == [
        ("g1", "Transports", True)
    ]
    assert {n["id"]: n.get("groupId") for n in view["notes"]} == {"a1": "g1", "a2": "g1"}


async def test_a_participant_cannot_take_over_someone_elses_group_or_notes(
    server: ServerProcess, clients: list[YClient]
) -> None:
    """The attacker: Bob, a participant with the link, tries everything a participant must not."""
    board = create_board(server.url)
    alice = await join(server, clients, board)
    bob = await join(server, clients, board)
    facilitator = await join(server, clients, board, "facilitator")
    assert await alice.add_note("a1", "vélo") == OK
    assert await alice.write("notes", new_group("g1", alice.me, notes=("a1",))) == OK
    assert await bob.add_note("b1", "marche") == OK
    await eventually(lambda: "g1" in groups_of(bob) and "b1" in alice.notes())
    before = (groups_of(alice), alice.notes())
    for attempt in (
        new_group("g2", alice.me),  # a group in Alice's name
        set_in_group("g1", "title", "Piraté"),  # renaming Alice's group
        set_in_group("g1", "folded", True),  # folding it
        set_in_group("g1", "createdBy", bob.me),  # taking it over
        delete_group("g1"),  # undoing it
        lambda doc: doc.get("groups", type=Map).clear(),
        new_group("g1", bob.me),  # replacing it by a group of his own
        # Putting Alice's note in his group, or taking it out of hers.
        new_group("g4", bob.me, notes=("a1",)),
        lambda doc: doc.get("notes", type=Map)["a1"].pop("groupId"),
    ):
        refused(await bob.write("notes", attempt), "forbidden")
        await bob.resync("notes")
    for attempt in (
        new_group("g3", None),  # a group in nobody's name
        new_group("g5", bob.me, title=Text("un titre vivant")),  # a title is a plain string
        new_group("g6", bob.me, title="x" * 201),
        new_group("b1", bob.me),  # a group with a note's id: votes would mix
        lambda doc: doc.get("groups", type=Map).__setitem__("g7", "pas une carte"),
        set_in_group("g1", "nested", Map({"deep": 1})),
    ):
        refused(await bob.write("notes", attempt), "invalid")
        await bob.resync("notes")
    assert (groups_of(bob), bob.notes()) == before
    # His own note may join Alice's group (a change to his own note), and leave it.
    assert (
        await bob.write(
            "notes", lambda d: d.get("notes", type=Map)["b1"].__setitem__("groupId", "g1")
        )
        == OK
    )
    await eventually(lambda: alice.notes()["b1"].get("groupId") == "g1")
    # The facilitator renames and undoes anyone's group, notes included.
    assert await facilitator.write("notes", set_in_group("g1", "title", "Déplacements")) == OK

    def ungroup(doc: Any) -> None:
        doc.get("groups", type=Map).pop("g1")
        for note in doc.get("notes", type=Map).values():
            if note.get("groupId") == "g1":
                note.pop("groupId")

    await eventually(lambda: groups_of(facilitator).get("g1", {}).get("title") == "Déplacements")
    assert await facilitator.write("notes", ungroup) == OK
    await eventually(lambda: not groups_of(alice) and "groupId" not in alice.notes()["a1"])


async def test_everyone_changes_every_group_when_the_facilitator_allows(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = create_board(server.url)
    alice = await join(server, clients, board)
    bob = await join(server, clients, board)
    facilitator = await join(server, clients, board, "facilitator")
    assert await alice.write("notes", new_group("g1", alice.me)) == OK
    await eventually(lambda: "g1" in groups_of(bob))
    refused(await bob.write("notes", set_in_group("g1", "title", "Autre")), "forbidden")
    await bob.resync("notes")
    assert (
        await facilitator.write(
            "layout", lambda d: d.get("meta", type=Map).__setitem__("editOthersNotes", True)
        )
        == OK
    )
    await eventually(lambda: bob.meta().get("editOthersNotes") is True)
    assert await bob.write("notes", set_in_group("g1", "title", "Autre")) == OK
    # Still never in someone else's name.
    refused(await bob.write("notes", set_in_group("g1", "createdBy", bob.me)), "forbidden")


async def test_groups_are_not_made_in_private_writing(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = create_board(server.url)
    alice = await join(server, clients, board)
    facilitator = await join(server, clients, board, "facilitator")
    assert (
        await facilitator.write(
            "layout", lambda d: d.get("meta", type=Map).__setitem__("privateWriting", True)
        )
        == OK
    )
    await eventually(lambda: alice.meta().get("privateWriting") is True)
    await alice.sync_private()
    refused(await alice.write("private", new_group("g1", alice.me)), "forbidden")


async def test_a_group_is_voted_on_as_a_whole(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = create_board(server.url)
    alice = await join(server, clients, board)
    facilitator = await join(server, clients, board, "facilitator")
    assert await alice.add_note("a1", "vélo") == OK
    assert await alice.write("notes", new_group("g1", alice.me, notes=("a1",))) == OK
    refused(await alice.vote("g1"), "vote_closed")
    assert (
        await facilitator.write(
            "layout",
            lambda d: d.get("meta", type=Map).__setitem__(
                "voting", Map({"state": "open", "secret": False, "revealed": False, "budget": 3})
            ),
        )
        == OK
    )
    await eventually(lambda: alice.meta().get("voting", {}).get("state") == "open")
    assert (await alice.vote("g1"))["ok"] is True
    assert (await alice.vote("a1"))["ok"] is True
    await eventually(lambda: alice.last_votes().get("tallies") == {"g1": 1, "a1": 1})
    assert alice.last_votes()["remaining"] == 1
    refused(await alice.vote("g-nowhere"), "not_found")
    # Ungrouped: the group's vote is given back, as for a deleted note.
    assert await facilitator.write("notes", delete_group("g1")) == OK
    await eventually(lambda: "g1" not in groups_of(alice))
    assert (await alice.vote("a1"))["ok"] is True
    await eventually(lambda: alice.last_votes().get("tallies") == {"a1": 2})
    assert alice.last_votes()["remaining"] == 1


async def test_restoring_a_version_brings_its_groups_back(
    own_server: Any, clients: list[YClient]
) -> None:
    server = own_server(ARDOISE_HISTORY_INTERVAL_S="0.5")
    board = create_board(server.url)
    facilitator = await join(server, clients, board, "facilitator")
    token = board["tokens"]["facilitator"]
    assert await facilitator.add_note("n1", "vélo") == OK
    assert await facilitator.write("notes", new_group("g1", facilitator.me, notes=("n1",))) == OK
    first = await wait_version(server.url, board, reason="auto", notes=1)
    assert await facilitator.write("notes", set_in_group("g1", "title", "Renommé")) == OK
    assert await facilitator.write("notes", new_group("g2", facilitator.me, title="Autre")) == OK
    answer = await restore_version(server.url, board["id"], first["id"], token, "Fac")
    assert answer.status_code == 200, answer.text
    await eventually(lambda: set(groups_of(facilitator)) == {"g1"})
    assert groups_of(facilitator)["g1"]["title"] == "Mobilité"
    assert facilitator.notes()["n1"]["groupId"] == "g1"


async def test_exports_show_themes_and_a_board_file_keeps_them(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = create_board(server.url, "Atelier thèmes")
    alice = await join(server, clients, board)
    assert await alice.add_note("a1", "vélo", x=10) == OK
    assert await alice.add_note("a2", "tram", x=200) == OK
    assert await alice.add_note("a3", "jardin", x=400) == OK
    assert await alice.write("notes", new_group("g1", alice.me, notes=("a1", "a2"))) == OK
    headers = {"Authorization": f"Bearer {board['tokens']['facilitator']}"}
    base = f"{server.url}/api/boards/{board['id']}/export"
    markdown = httpx.get(f"{base}/markdown", headers=headers).text
    assert "## Thèmes\n\n### Mobilité\n\n- vélo" in markdown and "- tram" in markdown
    csv_lines = httpx.get(f"{base}/csv", headers=headers).content.decode("utf-8-sig").split("\r\n")
    assert csv_lines[0].endswith(";thème")
    assert {line.split(";")[3]: line.split(";")[-1] for line in csv_lines[1:] if line} == {
        "vélo": "Mobilité",
        "tram": "Mobilité",
        "jardin": "",
    }
    # The wiki page keeps every note, each under its theme, and nothing is read as markup.
    page = read(show(httpx.get(f"{base}/yeswiki", headers=headers).text))
    assert [(n.text, n.place) for n in wiki_notes(page)] == [
        ("vélo", "Mobilité"),
        ("tram", "Mobilité"),
        ("jardin", ""),
    ]
    for fmt in ("pdf", "png"):
        assert httpx.get(f"{base}/{fmt}", headers=headers, timeout=30).status_code == 200
    exported = httpx.get(f"{base}/json", headers=headers)
    copy = restore_board_file(server.url, exported.content)
    again = httpx.get(
        f"{server.url}/api/boards/{copy['id']}/export/json",
        headers={"Authorization": f"Bearer {copy['tokens']['facilitator']}"},
    ).json()
    assert again["board"] == exported.json()["board"]
    assert [g["title"] for g in again["board"]["groups"]] == ["Mobilité"]
    assert {n["id"]: n.get("groupId") for n in again["board"]["notes"]} == {
        "a1": "g1",
        "a2": "g1",
        "a3": None,
    }


async def test_a_stock_yjs_client_cannot_rename_undo_or_forge_someone_elses_group(
    server: ServerProcess, clients: list[YClient], stock: StartStock
) -> None:
    """The attacker is the stock JavaScript Yjs client, with a participant's link."""
    board = create_board(server.url)
    alice = await join(server, clients, board)
    assert await alice.add_note("a1", "vélo") == OK
    assert await alice.write("notes", new_group("g1", alice.me, notes=("a1",))) == OK
    mallory = await stock(
        {
            "board": board["id"],
            "token": board["tokens"]["participant"],
            "participant": {"name": "Mallory"},
        },
        [
            {"do": "connect"},
            {"do": "renameGroup", "id": "g1", "title": "Piraté"},
            {"do": "ungroup", "id": "g1"},
            {"do": "group", "id": "g2", "title": "Au nom d'Alice", "createdBy": alice.me},
            {"do": "group", "id": "g3", "title": "Le mien", "notes": ["a1"]},
            {"do": "group", "id": "g4", "title": "Le mien"},
            {"do": "renameGroup", "id": "g4", "title": "Toujours le mien"},
            {"do": "groups"},
        ],
    )
    await mallory.next("connect")
    for step in ("renameGroup", "ungroup", "group", "group"):
        ack = (await mallory.next(step))["ack"]
        assert ack["ok"] is False and ack["error"]["code"] == "forbidden", (step, ack)
    assert (await mallory.next("group"))["ack"] == OK
    assert (await mallory.next("renameGroup"))["ack"] == OK
    shown = (await mallory.next("groups"))["groups"]
    assert shown["g1"]["title"] == "Mobilité" and shown["g4"]["title"] == "Toujours le mien"
    assert set(shown) == {"g1", "g4"}
    await mallory.finish()
    await eventually(lambda: set(groups_of(alice)) == {"g1", "g4"})
    assert groups_of(alice)["g1"]["title"] == "Mobilité"
    assert alice.notes()["a1"]["groupId"] == "g1"
