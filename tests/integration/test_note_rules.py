"""Who may change which note, and how big a board may grow: judged by the server on every update
(docs/protocol.md section 4.4), tried here as a participant with the link would."""

from __future__ import annotations

from typing import Any

from pycrdt import Map, Text

from server.protocol import encode_update
from tests.conftest import create_board
from tests.support.server_process import ServerProcess
from tests.support.waiting import eventually
from tests.support.yclient import YClient, join_board

OK = {"ok": True}


def refused(ack: Any, code: str) -> None:
    assert ack["ok"] is False and ack["error"]["code"] == code, ack


async def join(
    server: ServerProcess, clients: list[YClient], board: dict, role: str = "participant"
) -> YClient:
    return await join_board(server.url, clients, board, role, {"name": role.capitalize()})


def new_note(note_id: str, author_id: Any, text: str = "idée", **extra: Any):
    def edit(doc: Any) -> None:
        fields: dict[str, Any] = {"text": Text(text), "rect": [0, 0, 160, 100], **extra}
        if author_id is not None:
            fields["authorId"] = author_id
        doc.get("notes", type=Map)[note_id] = Map(fields)

    return edit


def set_in_note(note_id: str, key: str, value: Any):
    def edit(doc: Any) -> None:
        doc.get("notes", type=Map)[note_id][key] = value

    return edit


def allow_editing_others(on: bool):
    def edit(doc: Any) -> None:
        doc.get("meta", type=Map)["editOthersNotes"] = on

    return edit


async def test_authorship_is_the_writers_own_and_fixed(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = create_board(server.url)
    alice = await join(server, clients, board)
    bob = await join(server, clients, board)
    facilitator = await join(server, clients, board, "facilitator")
    # A note in Alice's name, written by Bob: refused, so nothing can be pinned on her.
    refused(await bob.write("notes", new_note("fake", alice.me)), "forbidden")
    await bob.resync("notes")
    refused(await bob.write("notes", new_note("anonymous", None)), "invalid")
    await bob.resync("notes")
    # Even the facilitator writes notes in their own name only.
    refused(await facilitator.write("notes", new_note("fake2", alice.me)), "forbidden")
    await facilitator.resync("notes")
    # Bob's own note, then Bob trying to hand it to Alice: the author is set once.
    assert await bob.write("notes", new_note("b1", bob.me, author="Bob")) == OK
    refused(await bob.write("notes", set_in_note("b1", "authorId", alice.me)), "forbidden")
    await bob.resync("notes")
    refused(await bob.write("notes", set_in_note("b1", "author", "Alice")), "forbidden")
    await bob.resync("notes")
    refused(await facilitator.write("notes", set_in_note("b1", "authorId", alice.me)), "forbidden")
    await facilitator.resync("notes")
    late = await join(server, clients, board)
    assert set(late.notes()) == {"b1"}
    assert late.notes()["b1"]["authorId"] == bob.me and late.notes()["b1"]["author"] == "Bob"


async def test_participants_change_only_their_own_notes_unless_the_facilitator_allows(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = create_board(server.url)
    alice = await join(server, clients, board)
    bob = await join(server, clients, board)
    facilitator = await join(server, clients, board, "facilitator")
    assert await alice.add_note("a1", "idée d'Alice") == OK
    await eventually(lambda: "a1" in bob.notes())
    before = alice.notes()
    for attempt in (
        set_in_note("a1", "rect", [500, 500, 160, 100]),
        set_in_note("a1", "color", "pink"),
        lambda doc: doc.get("notes", type=Map)["a1"]["text"].__iadd__(" !"),
        lambda doc: doc.get("notes", type=Map).pop("a1"),
        lambda doc: doc.get("notes", type=Map).clear(),
        new_note("a1", bob.me),  # replacing the note by one of his own
    ):
        refused(await bob.write("notes", attempt), "forbidden")
        await bob.resync("notes")
    assert bob.notes() == before
    # The facilitator changes anyone's note.
    assert await facilitator.write("notes", set_in_note("a1", "color", "green")) == OK
    await eventually(lambda: alice.notes()["a1"]["color"] == "green")
    # Allowed by the facilitator: Bob moves Alice's note; its author stays hers.
    assert await facilitator.write("layout", allow_editing_others(True)) == OK
    await eventually(lambda: bob.meta().get("editOthersNotes") is True)
    assert await bob.write("notes", set_in_note("a1", "rect", [40, 40, 160, 100])) == OK
    refused(await bob.write("notes", set_in_note("a1", "authorId", bob.me)), "forbidden")
    await bob.resync("notes")
    assert await bob.write("notes", lambda doc: doc.get("notes", type=Map).pop("a1")) == OK
    await eventually(lambda: "a1" not in alice.notes())
    # Forbidden again once the facilitator turns it off.
    assert await alice.add_note("a2", "deuxième") == OK
    assert await facilitator.write("layout", allow_editing_others(False)) == OK
    await eventually(lambda: bob.meta().get("editOthersNotes") is False and "a2" in bob.notes())
    refused(await bob.write("notes", set_in_note("a2", "color", "red")), "forbidden")


async def test_a_reconnection_resending_what_others_deleted_is_accepted(
    server: ServerProcess, clients: list[YClient]
) -> None:
    """A reconnecting client's answer to the server's step 1 carries its whole delete set, with
    the deletions of others' notes and values (even those the CRDT made when two people moved the
    same note at once). Those are no changes of its own: its offline note goes through."""
    board = create_board(server.url)
    alice = await join(server, clients, board)
    bob = await join(server, clients, board)
    facilitator = await join(server, clients, board, "facilitator")
    assert await alice.add_note("a1", "déplacée") == OK
    assert await alice.add_note("a2", "supprimée") == OK
    await eventually(lambda: {"a1", "a2"} <= set(bob.notes()) and "a1" in facilitator.notes())
    # Alice and the facilitator move a1 at the same moment: neither saw the other's move.
    by_alice = alice.change("notes", set_in_note("a1", "rect", [100, 0, 160, 100]))
    by_facilitator = facilitator.change("notes", set_in_note("a1", "rect", [0, 100, 160, 100]))
    assert await facilitator.call("notes", encode_update(by_facilitator)) == OK
    assert await alice.call("notes", encode_update(by_alice)) == OK
    assert await alice.write("notes", lambda doc: doc.get("notes", type=Map).pop("a2")) == OK
    await eventually(lambda: "a2" not in bob.notes())
    await eventually(lambda: bob.notes()["a1"]["rect"] == alice.notes()["a1"]["rect"])
    await bob.disconnect()
    bob.change("notes", new_note("b-offline", bob.me, "écrite hors ligne"))
    bob.fresh_sio()
    await bob.connect(board["id"], board["tokens"]["participant"], {"name": "Bob"})
    await eventually(lambda: bool(bob.step2_acks) and all(a.done() for a in bob.step2_acks))
    assert all(ack.result() == OK for ack in bob.step2_acks), [a.result() for a in bob.step2_acks]
    await eventually(lambda: "b-offline" in alice.notes())


async def test_a_board_holds_at_most_5000_notes(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = create_board(server.url)
    writer = await join(server, clients, board)

    def many(start: int, count: int):
        def edit(doc: Any) -> None:
            notes = doc.get("notes", type=Map)
            for i in range(start, start + count):
                notes[f"n{i}"] = Map({"text": Text("x"), "authorId": writer.me})

        return edit

    for start in range(0, 5000, 1000):
        assert await writer.write("notes", many(start, 1000)) == OK
    refused(await writer.write("notes", many(5000, 1)), "invalid")
    await writer.resync("notes")
    assert len(writer.notes()) == 5000
    # Deleting makes room again.
    assert await writer.write("notes", lambda doc: doc.get("notes", type=Map).pop("n0")) == OK
    assert await writer.write("notes", many(5000, 1)) == OK


async def test_structure_limits_refuse_what_no_client_writes(
    server: ServerProcess, clients: list[YClient]
) -> None:
    """Entries, keys, text and other roots beyond the limits: each refused, nothing stored."""
    board = create_board(server.url)
    attacker = await join(server, clients, board)
    me = attacker.me
    assert await attacker.write("notes", new_note("mine", me)) == OK

    def many_entries(doc: Any) -> None:
        text = doc.get("notes", type=Map)["mine"]["text"]
        for _ in range(20_001):
            text.insert(0, "x")  # each one an item of its own, before the last

    def many_keys(doc: Any) -> None:
        doc.get("notes", type=Map)["wide"] = Map(
            {"authorId": me, **{f"k{i}": i for i in range(40)}}
        )

    def long_text(doc: Any) -> None:
        doc.get("notes", type=Map)["mine"]["text"].insert(0, "x" * 4000)

    def another_root(doc: Any) -> None:
        doc.get("elsewhere", type=Map)["x"] = "y" * 1000

    def not_a_map(doc: Any) -> None:
        doc.get("notes", type=Map)["flat"] = "juste une chaîne"

    for attempt, code in (
        (many_entries, "invalid"),
        (many_keys, "invalid"),
        (long_text, "invalid"),
        (another_root, "invalid"),
        (not_a_map, "invalid"),
    ):
        refused(await attacker.write("notes", attempt), code)
        await attacker.resync("notes")
    assert set(attacker.notes()) == {"mine"}
    # Within the limits, the same kinds of change go through.
    assert (
        await attacker.write(
            "notes", lambda d: d.get("notes", type=Map)["mine"]["text"].__iadd__("y" * 1990)
        )
        == OK
    )


async def test_private_notes_are_judged_too(server: ServerProcess, clients: list[YClient]) -> None:
    board = create_board(server.url)
    facilitator = await join(server, clients, board, "facilitator")
    alice = await join(server, clients, board)
    bob = await join(server, clients, board)
    assert (
        await facilitator.write(
            "layout", lambda d: d.get("meta", type=Map).__setitem__("privateWriting", True)
        )
        == OK
    )
    await eventually(lambda: bob.meta().get("privateWriting") is True)
    await bob.sync_private()
    # A private note in Alice's name would be revealed as hers.
    refused(await bob.write("private", new_note("p1", alice.me)), "forbidden")
    await bob.resync("private")
    assert await bob.write("private", new_note("p2", bob.me, "la mienne")) == OK
    assert (
        await facilitator.write(
            "layout", lambda d: d.get("meta", type=Map).__setitem__("privateWriting", False)
        )
        == OK
    )
    await eventually(lambda: "p2" in bob.notes())
    assert bob.notes()["p2"]["authorId"] == bob.me
    # Revealed, it is still Bob's to move.
    assert await bob.write("notes", set_in_note("p2", "rect", [10, 10, 160, 100])) == OK


async def test_one_address_writes_at_most_its_bytes_per_minute(
    own_server, clients: list[YClient]
) -> None:
    server = own_server(ARDOISE_WRITE_BYTES_PER_ADDRESS_PER_MINUTE="65536")
    board = create_board(server.url)
    other_board = create_board(server.url)
    first = await join(server, clients, board)
    written = 0
    for i in range(20):
        ack = await first.add_note(f"n{i}", "é" * 3900)  # about 8 KB each
        if not ack["ok"]:
            refused(ack, "rate_limited")
            break
        written += 1
    assert 6 <= written < 9, written
    await first.resync("notes")
    # The same address, another connection and another board: the same budget.
    second = await join(server, clients, other_board)
    refused(await second.add_note("x", "é" * 3900), "rate_limited")
    await second.resync("notes")
    # Reading is not limited.
    assert len((await join(server, clients, board)).notes()) == written
