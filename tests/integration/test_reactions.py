"""Reactions and comments on notes: who may add and remove them, judged by the server
(docs/protocol.md section 4, "Judging notes"; docs/board-schema.md, roots `reactions` and
`comments`). Tried as a participant with the link would, with clients of real parts."""

from __future__ import annotations

from typing import Any

import httpx
from pycrdt import Map, Text

from tests.conftest import create_board
from tests.integration.test_groups import OK, join, refused
from tests.integration.test_history import wait_version
from tests.support.archive_api import restore_board_file, restore_version
from tests.support.server_process import ServerProcess
from tests.support.stock_client import StartStock
from tests.support.waiting import eventually
from tests.support.yclient import YClient

THUMBS = "👍"
IDEA = "💡"


def react(note_id: str, emoji: str, participant_id: str, value: Any = True):
    def edit(doc: Any) -> None:
        doc.get("reactions", type=Map)[f"{note_id}/{emoji}/{participant_id}"] = value

    return edit


def unreact(note_id: str, emoji: str, participant_id: str):
    def edit(doc: Any) -> None:
        doc.get("reactions", type=Map).pop(f"{note_id}/{emoji}/{participant_id}")

    return edit


def comment(comment_id: str, note_id: str, author_id: Any, text: Any = "Bien vu", **extra: Any):
    def edit(doc: Any) -> None:
        fields: dict[str, Any] = {"noteId": note_id, "text": text, "author": "X", "createdAt": 1}
        if author_id is not None:
            fields["authorId"] = author_id
        doc.get("comments", type=Map)[comment_id] = Map({**fields, **extra})

    return edit


def delete_comment(comment_id: str):
    def edit(doc: Any) -> None:
        doc.get("comments", type=Map).pop(comment_id)

    return edit


def talk_of(client: YClient) -> tuple[dict[str, Any], dict[str, Any]]:
    notes = client.docs["notes"]
    return (
        notes.get("reactions", type=Map).to_py() or {},
        notes.get("comments", type=Map).to_py() or {},
    )


def set_meta(key: str, value: Any):
    def edit(doc: Any) -> None:
        doc.get("meta", type=Map)[key] = value

    return edit


async def test_participants_react_and_comment_and_see_each_other_live(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = create_board(server.url)
    alice = await join(server, clients, board)
    bob = await join(server, clients, board)
    assert await alice.add_note("a1", "vélo") == OK
    await eventually(lambda: "a1" in bob.notes())
    # Bob reacts to Alice's note and comments on it; Alice reacts to her own note too.
    assert await bob.write("notes", react("a1", THUMBS, bob.me)) == OK
    assert await bob.write("notes", react("a1", IDEA, bob.me)) == OK
    assert await alice.write("notes", react("a1", THUMBS, alice.me)) == OK
    assert await bob.write("notes", comment("c1", "a1", bob.me, "Et le train ?")) == OK
    await eventually(lambda: len(talk_of(alice)[0]) == 3 and "c1" in talk_of(alice)[1])
    assert talk_of(alice)[1]["c1"]["text"] == "Et le train ?"
    # Each takes back their own, and a second 👍 of Bob's is the same key: still one.
    assert await bob.write("notes", react("a1", THUMBS, bob.me)) == OK
    assert await bob.write("notes", unreact("a1", IDEA, bob.me)) == OK
    assert await bob.write("notes", delete_comment("c1")) == OK
    await eventually(
        lambda: (
            talk_of(alice) == ({f"a1/{THUMBS}/{bob.me}": True, f"a1/{THUMBS}/{alice.me}": True}, {})
        )
    )


async def test_a_participant_cannot_react_or_comment_in_someone_elses_name_or_break_the_rules(
    server: ServerProcess, clients: list[YClient]
) -> None:
    """The attacker: Bob, a participant with the link, tries everything a participant must not."""
    board = create_board(server.url)
    alice = await join(server, clients, board)
    bob = await join(server, clients, board)
    assert await alice.add_note("a1", "vélo") == OK
    assert await alice.write("notes", react("a1", THUMBS, alice.me)) == OK
    assert await alice.write("notes", comment("c1", "a1", alice.me, "Oui")) == OK
    await eventually(lambda: "c1" in talk_of(bob)[1])
    before = talk_of(alice)
    for attempt in (
        react("a1", IDEA, alice.me),  # a reaction in Alice's name
        unreact("a1", THUMBS, alice.me),  # taking back Alice's reaction
        lambda doc: doc.get("reactions", type=Map).clear(),
        comment("c2", "a1", alice.me),  # a comment in Alice's name
        delete_comment("c1"),  # deleting Alice's comment
        lambda doc: doc.get("comments", type=Map)["c1"].__setitem__("text", "Non"),
        comment("c1", "a1", bob.me, "remplacé"),  # replacing it by his own
    ):
        refused(await bob.write("notes", attempt), "forbidden")
        await bob.resync("notes")
    for attempt in (
        react("a1", "🤡", bob.me),  # not one of the fixed emoji
        react("a1", THUMBS, bob.me, value=False),
        react("a1", THUMBS, bob.me, value="oui"),
        react("nope", THUMBS, bob.me),  # an unknown note
        lambda doc: doc.get("reactions", type=Map).__setitem__("a1", True),
        comment("c3", "a1", bob.me, "x" * 10_000),
        comment("c4", "a1", bob.me, "   "),
        comment("c5", "a1", bob.me, Text("vivant")),
        comment("c6", "nope", bob.me),
        comment("c7", "a1", None),
        comment("c8", "a1", bob.me, nested=Map({"deep": 1})),
        lambda doc: doc.get("comments", type=Map).__setitem__("c9", "pas une carte"),
        lambda doc: doc.get("elsewhere", type=Map).__setitem__("k", True),
    ):
        refused(await bob.write("notes", attempt), "invalid")
        await bob.resync("notes")
    assert talk_of(bob) == before
    # A comment of 500 characters is fine; his own is his to delete.
    assert await bob.write("notes", comment("c10", "a1", bob.me, "é" * 500)) == OK
    refused(await bob.write("notes", comment("c11", "a1", bob.me, "é" * 501)), "invalid")
    await bob.resync("notes")
    # Comments are not edited, not even one's own: deleted and written again.
    refused(
        await bob.write(
            "notes", lambda doc: doc.get("comments", type=Map)["c10"].__setitem__("text", "b")
        ),
        "forbidden",
    )
    await bob.resync("notes")
    assert await bob.write("notes", delete_comment("c10")) == OK


async def test_a_note_holds_at_most_fifty_comments(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = create_board(server.url)
    alice = await join(server, clients, board)
    assert await alice.add_note("a1", "vélo") == OK

    def many(doc: Any) -> None:
        for i in range(50):
            comment(f"c{i}", "a1", alice.me, f"n°{i}")(doc)

    assert await alice.write("notes", many) == OK
    refused(await alice.write("notes", comment("c50", "a1", alice.me)), "invalid")
    await alice.resync("notes")
    assert len(talk_of(alice)[1]) == 50


async def test_observers_locks_and_private_writing_keep_reactions_and_comments_out(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = create_board(server.url)
    alice = await join(server, clients, board)
    observer = await join(server, clients, board, "observer")
    facilitator = await join(server, clients, board, "facilitator")
    assert await alice.add_note("a1", "vélo") == OK
    await eventually(lambda: "a1" in observer.notes())
    refused(await observer.write("notes", react("a1", THUMBS, observer.me)), "forbidden")
    await observer.resync("notes")
    refused(await observer.write("notes", comment("c1", "a1", observer.me)), "forbidden")
    await observer.resync("notes")
    # Locked: the participant may not, the facilitator may.
    assert await facilitator.write("layout", set_meta("locked", True)) == OK
    await eventually(lambda: alice.meta().get("locked") is True)
    refused(await alice.write("notes", react("a1", THUMBS, alice.me)), "board_locked")
    await alice.resync("notes")
    refused(await alice.write("notes", comment("c2", "a1", alice.me)), "board_locked")
    await alice.resync("notes")
    assert await facilitator.write("notes", comment("c3", "a1", facilitator.me, "Merci")) == OK
    assert await facilitator.write("layout", set_meta("locked", False)) == OK
    # Not in a private document.
    assert await facilitator.write("layout", set_meta("privateWriting", True)) == OK
    await eventually(lambda: alice.meta().get("privateWriting") is True)
    await alice.sync_private()
    refused(await alice.write("private", react("a1", THUMBS, alice.me)), "forbidden")
    await alice.resync("private")
    refused(await alice.write("private", comment("c4", "a1", alice.me)), "forbidden")
    assert set(talk_of(alice)[1]) == {"c3"} and talk_of(alice)[0] == {}


async def test_only_the_facilitator_clears_everyones_reactions_and_comments(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = create_board(server.url)
    alice = await join(server, clients, board)
    bob = await join(server, clients, board)
    facilitator = await join(server, clients, board, "facilitator")
    assert await alice.add_note("a1", "vélo") == OK
    assert await alice.write("notes", react("a1", THUMBS, alice.me)) == OK
    assert await bob.write("notes", react("a1", THUMBS, bob.me)) == OK
    assert await bob.write("notes", comment("c1", "a1", bob.me)) == OK
    # Even on a board where everyone changes every note, reactions and comments stay personal.
    assert await facilitator.write("layout", set_meta("editOthersNotes", True)) == OK
    await eventually(lambda: alice.meta().get("editOthersNotes") is True)

    def clear(doc: Any) -> None:
        doc.get("reactions", type=Map).clear()
        doc.get("comments", type=Map).clear()

    await eventually(lambda: len(talk_of(alice)[0]) == 2 and "c1" in talk_of(alice)[1])
    refused(await alice.write("notes", clear), "forbidden")
    await alice.resync("notes")
    await eventually(lambda: len(talk_of(facilitator)[0]) == 2 and talk_of(facilitator)[1])
    assert await facilitator.write("notes", clear) == OK
    await eventually(lambda: talk_of(alice) == ({}, {}) and talk_of(bob) == ({}, {}))


async def test_a_stock_yjs_client_cannot_react_or_comment_in_someone_elses_name(
    server: ServerProcess, clients: list[YClient], stock: StartStock
) -> None:
    """The attacker is the stock JavaScript Yjs client, with a participant's link."""
    board = create_board(server.url)
    alice = await join(server, clients, board)
    assert await alice.add_note("a1", "vélo") == OK
    assert await alice.write("notes", react("a1", THUMBS, alice.me)) == OK
    assert await alice.write("notes", comment("c1", "a1", alice.me, "Oui")) == OK
    mallory = await stock(
        {
            "board": board["id"],
            "token": board["tokens"]["participant"],
            "participant": {"name": "Mallory"},
        },
        [
            {"do": "connect"},
            {"do": "react", "noteId": "a1", "emoji": IDEA, "participantId": alice.me},
            {
                "do": "react",
                "noteId": "a1",
                "emoji": THUMBS,
                "on": False,
                "participantId": alice.me,
            },
            {"do": "comment", "id": "c2", "noteId": "a1", "text": "faux", "authorId": alice.me},
            {"do": "editComment", "id": "c1", "text": "Non"},
            {"do": "deleteComment", "id": "c1"},
            {"do": "react", "noteId": "a1", "emoji": "🤡"},
            {"do": "comment", "id": "c3", "noteId": "a1", "text": "x" * 10_000},
            {"do": "react", "noteId": "a1", "emoji": THUMBS},
            {"do": "react", "noteId": "a1", "emoji": THUMBS},
            {"do": "comment", "id": "c4", "noteId": "a1", "text": "<b>gras</b>"},
            {"do": "talk"},
        ],
    )
    await mallory.next("connect")
    for step in ("react", "react", "comment", "editComment", "deleteComment"):
        ack = (await mallory.next(step))["ack"]
        assert ack["ok"] is False and ack["error"]["code"] == "forbidden", (step, ack)
    for step in ("react", "comment"):
        ack = (await mallory.next(step))["ack"]
        assert ack["ok"] is False and ack["error"]["code"] == "invalid", (step, ack)
    assert (await mallory.next("react"))["ack"] == OK
    assert (await mallory.next("react"))["ack"] == OK  # the same key again: still one
    assert (await mallory.next("comment"))["ack"] == OK
    shown = await mallory.next("talk")
    await mallory.finish()
    assert len(shown["reactions"]) == 2 and set(shown["comments"]) == {"c1", "c4"}
    await eventually(lambda: len(talk_of(alice)[0]) == 2 and set(talk_of(alice)[1]) == {"c1", "c4"})
    reactions, comments = talk_of(alice)
    assert reactions[f"a1/{THUMBS}/{alice.me}"] is True
    assert comments["c1"]["text"] == "Oui" and comments["c4"]["text"] == "<b>gras</b>"


async def _talking_board(server: ServerProcess, clients: list[YClient], board: dict) -> YClient:
    alice = await join(server, clients, board)
    bob = await join(server, clients, board)
    assert await alice.add_note("a1", "vélo") == OK
    assert await alice.write("notes", react("a1", THUMBS, alice.me)) == OK
    assert await bob.write("notes", react("a1", THUMBS, bob.me)) == OK
    assert await bob.write("notes", react("a1", IDEA, bob.me)) == OK
    assert await bob.write("notes", comment("c1", "a1", bob.me, "=1+1 <b>Et le train ?</b>")) == OK
    return alice


async def test_the_board_view_and_exports_show_counts_and_comments_and_a_board_file_keeps_them(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = create_board(server.url, "Atelier réactions")
    alice = await _talking_board(server, clients, board)
    headers = {"Authorization": f"Bearer {board['tokens']['facilitator']}"}
    view = httpx.get(f"{server.url}/api/boards/{board['id']}", headers=headers).json()
    (note,) = view["notes"]
    assert note["reactions"] == {THUMBS: 2, IDEA: 1}
    assert sorted(note["reactedBy"][THUMBS]) == sorted([alice.me, note["reactedBy"][IDEA][0]])
    assert [(c["id"], c["text"], c["author"]) for c in note["comments"]] == [
        ("c1", "=1+1 <b>Et le train ?</b>", "X")
    ]
    base = f"{server.url}/api/boards/{board['id']}/export"
    markdown = httpx.get(f"{base}/markdown", headers=headers).text
    assert f"- vélo — *Camille* · {THUMBS} 2 · {IDEA} 1\n  - *X* : \\=1+1 \\<b\\>" in markdown
    csv_text = httpx.get(f"{base}/csv", headers=headers).content.decode("utf-8-sig")
    header, line = csv_text.split("\r\n")[:2]
    assert ";votes;réactions;commentaires;" in header
    assert f";{THUMBS} 2 · {IDEA} 1;X : =1+1 <b>Et le train ?</b>;" in line
    for fmt in ("pdf", "png", "yeswiki"):
        assert httpx.get(f"{base}/{fmt}", headers=headers, timeout=30).status_code == 200
    # The board file brings them back on a new board; a CSV import makes notes only.
    exported = httpx.get(f"{base}/json", headers=headers)
    copy = restore_board_file(server.url, exported.content)
    copy_headers = {"Authorization": f"Bearer {copy['tokens']['facilitator']}"}
    again = httpx.get(f"{server.url}/api/boards/{copy['id']}/export/json", headers=copy_headers)
    assert again.json()["board"] == exported.json()["board"]
    imported = httpx.post(
        f"{server.url}/api/boards/{copy['id']}/import/csv",
        content=csv_text.encode("utf-8"),
        headers={**copy_headers, "content-type": "text/csv"},
    )
    assert imported.status_code == 201, imported.text
    after = httpx.get(f"{server.url}/api/boards/{copy['id']}", headers=copy_headers).json()
    assert len(after["notes"]) == 2
    assert [n.get("comments") for n in after["notes"]] == [note["comments"], None]


async def test_an_anonymous_board_shows_counts_and_comments_but_not_who(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = create_board(server.url)
    facilitator = await join(server, clients, board, "facilitator")
    assert await facilitator.write("layout", set_meta("anonymous", True)) == OK
    alice = await _talking_board(server, clients, board)
    headers = {"Authorization": f"Bearer {board['tokens']['participant']}"}
    view = httpx.get(f"{server.url}/api/boards/{board['id']}", headers=headers)
    (note,) = view.json()["notes"]
    assert note["reactions"] == {THUMBS: 2, IDEA: 1} and "reactedBy" not in note
    assert note["comments"][0]["text"] == "=1+1 <b>Et le train ?</b>"
    assert "author" not in note["comments"][0] and alice.me not in view.text
    exported = httpx.get(f"{server.url}/api/boards/{board['id']}/export/json", headers=headers)
    assert alice.me not in exported.text
    (kept,) = exported.json()["board"]["notes"]
    assert kept["reactions"] == {THUMBS: 2, IDEA: 1}
    assert kept["comments"][0]["author"] == kept["comments"][0]["authorId"] == ""
    # Restored, an anonymous file keeps the counts.
    restored = httpx.post(
        f"{server.url}/api/boards/import",
        content=exported.content,
        headers={"content-type": "application/json"},
    ).json()
    again = httpx.get(
        f"{server.url}/api/boards/{restored['id']}",
        headers={"Authorization": f"Bearer {restored['tokens']['participant']}"},
    ).json()
    assert again["notes"][0]["reactions"] == {THUMBS: 2, IDEA: 1}


async def test_restoring_a_version_brings_its_reactions_and_comments_back(
    own_server: Any, clients: list[YClient]
) -> None:
    server = own_server(ARDOISE_HISTORY_INTERVAL_S="0.5")
    board = create_board(server.url)
    facilitator = await join(server, clients, board, "facilitator")
    token = board["tokens"]["facilitator"]
    assert await facilitator.add_note("n1", "vélo") == OK
    assert await facilitator.write("notes", react("n1", THUMBS, facilitator.me)) == OK
    assert await facilitator.write("notes", comment("c1", "n1", facilitator.me)) == OK
    first = await wait_version(server.url, board, reason="auto", notes=1)

    def clear(doc: Any) -> None:
        doc.get("reactions", type=Map).clear()
        doc.get("comments", type=Map).clear()

    assert await facilitator.write("notes", clear) == OK
    assert await facilitator.write("notes", comment("c2", "n1", facilitator.me, "Après")) == OK
    answer = await restore_version(server.url, board["id"], first["id"], token, "Fac")
    assert answer.status_code == 200, answer.text
    await eventually(lambda: set(talk_of(facilitator)[1]) == {"c1"})
    assert talk_of(facilitator)[0] == {f"n1/{THUMBS}/{facilitator.me}": True}
