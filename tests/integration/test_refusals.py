"""Every refusal of docs/protocol.md section 4: nothing applied, stored or relayed; the client stays
connected."""

from __future__ import annotations

import secrets
from typing import Any

import httpx
import pytest
from pycrdt import Doc, Map

from server.boards.presence import PresenceEntry, encode_presence
from server.boards.update_meta import parse_update
from server.protocol import (
    decode_frame,
    encode_awareness,
    encode_step1,
    encode_step2,
    encode_update,
)
from tests.conftest import create_board
from tests.support.server_process import ServerProcess
from tests.support.waiting import eventually
from tests.support.yclient import YClient, join_board


async def join(url: str, clients: list[YClient], board: dict[str, Any], role: str) -> YClient:
    return await join_board(url, clients, board, role, {"id": f"c{len(clients) + 1}", "name": role})


def board_state(url: str, board: dict[str, Any]) -> dict[str, Any]:
    token = board["tokens"]["facilitator"]
    response = httpx.get(
        f"{url}/api/boards/{board['id']}", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.text
    return response.json()


def assert_refused(ack: Any, code: str) -> None:
    assert isinstance(ack, dict) and ack.get("ok") is False, ack
    assert ack["error"]["code"] == code, ack
    assert isinstance(ack["error"]["message"], str) and ack["error"]["message"]


async def settled(url: str, board: dict, witness: YClient) -> tuple[dict[str, Any], int]:
    """The board's state and the witness's frame count once every earlier relay has arrived.

    A marker written by someone else: relays are delivered in order, so once the marker has
    reached the witness, so has everything before it.
    """
    await send_marker(url, board, witness)
    return board_state(url, board), len(witness.frames)


async def send_marker(url: str, board: dict, witness: YClient) -> None:
    marker = YClient(url)
    await marker.connect(board["id"], board["tokens"]["facilitator"], {"id": "marker", "name": "m"})
    text = f"marker {secrets.token_hex(4)}"
    assert await marker.add_note(text, text) == {"ok": True}
    await eventually(lambda: text in witness.note_texts(), what="the marker reached the witness")
    await marker.disconnect()


async def assert_nothing_happened(
    url: str, board: dict, before: dict, witness: YClient, frames_before: int
) -> None:
    """The board is unchanged, and the witness was sent nothing but the next marker."""
    assert board_state(url, board) == before
    await send_marker(url, board, witness)
    new_frames = witness.frames[frames_before:]
    assert len(new_frames) == 1, new_frames
    # And that one frame holds the marker's change alone, not a refused one merged with it.
    writers = parse_update(decode_frame(new_frames[0][1])[2]).structs
    assert len(writers) == 1, writers


async def set_locked(facilitator: YClient, locked: bool) -> None:
    ack = await facilitator.write(
        "layout", lambda d: d.get("meta", type=Map).__setitem__("locked", locked)
    )
    assert ack == {"ok": True}


async def test_participant_cannot_write_layout(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = create_board(server.url)
    participant = await join(server.url, clients, board, "participant")
    witness = await join(server.url, clients, board, "facilitator")
    before, frames = await settled(server.url, board, witness)
    ack = await participant.write(
        "layout", lambda d: d.get("meta", type=Map).__setitem__("title", "pirate")
    )
    assert_refused(ack, "forbidden")
    await assert_nothing_happened(server.url, board, before, witness, frames)
    assert await participant.add_note("ok", "still connected") == {"ok": True}


async def test_observer_cannot_write_anything(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = create_board(server.url)
    observer = await join(server.url, clients, board, "observer")
    witness = await join(server.url, clients, board, "facilitator")
    before, frames = await settled(server.url, board, witness)
    assert_refused(await observer.add_note("x", "sneaky"), "forbidden")
    observer2 = await join(server.url, clients, board, "observer")
    ack = await observer2.write(
        "layout", lambda d: d.get("meta", type=Map).__setitem__("locked", True)
    )
    assert_refused(ack, "forbidden")
    await assert_nothing_happened(server.url, board, before, witness, frames)
    # Observers still take part in presence.
    assert await observer.send_presence(777, 1, {"name": "projector"}) == {"ok": True}


async def test_facilitator_writes_both_documents(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = create_board(server.url)
    facilitator = await join(server.url, clients, board, "facilitator")
    witness = await join(server.url, clients, board, "observer")
    ack = await facilitator.write(
        "layout", lambda d: d.get("meta", type=Map).__setitem__("title", "Nouveau titre")
    )
    assert ack == {"ok": True}
    assert await facilitator.add_note("f", "note du facilitateur") == {"ok": True}
    await eventually(
        lambda: (
            witness.meta()["title"] == "Nouveau titre"
            and "note du facilitateur" in witness.note_texts()
        )
    )


async def test_locked_board_refuses_participants_not_facilitators(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = create_board(server.url)
    facilitator = await join(server.url, clients, board, "facilitator")
    participant = await join(server.url, clients, board, "participant")
    await set_locked(facilitator, True)
    await eventually(lambda: participant.meta().get("locked") is True)
    before, frames = await settled(server.url, board, facilitator)
    assert_refused(await participant.add_note("p", "pendant le verrou"), "board_locked")
    await assert_nothing_happened(server.url, board, before, facilitator, frames)
    assert await facilitator.add_note("f", "le facilitateur écrit") == {"ok": True}
    await set_locked(facilitator, False)
    # The refused change is in the participant's copy forever: docs/protocol.md section 4 says to
    # resync afresh.
    fresh = await join(server.url, clients, board, "participant")
    assert await fresh.add_note("p2", "après le verrou") == {"ok": True}
    await eventually(lambda: "après le verrou" in facilitator.note_texts())
    assert "pendant le verrou" not in facilitator.note_texts()


async def test_writing_on_after_a_refusal_is_out_of_sync(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = create_board(server.url)
    facilitator = await join(server.url, clients, board, "facilitator")
    participant = await join(server.url, clients, board, "participant")
    await set_locked(facilitator, True)
    await eventually(lambda: participant.meta().get("locked") is True)
    assert_refused(await participant.add_note("refused", "refusée"), "board_locked")
    await set_locked(facilitator, False)
    await eventually(lambda: participant.meta().get("locked") is False)
    before, frames = await settled(server.url, board, facilitator)
    # Same Y.Doc, so the next update builds on the refused one: the server can never integrate it.
    assert_refused(await participant.add_note("next", "suivante"), "out_of_sync")
    assert_refused(await participant.add_note("again", "encore"), "out_of_sync")
    await assert_nothing_happened(server.url, board, before, facilitator, frames)
    # Sending the whole history at once has no gap, and the board is unlocked now: it is
    # accepted as one write (the participant may write notes), never half of it.
    ack = await participant.call("notes", encode_step2(participant.docs["notes"].get_update()))
    assert ack == {"ok": True}
    await eventually(lambda: {"refusée", "suivante", "encore"} <= facilitator.note_texts())


async def test_malformed_frames_are_refused(server: ServerProcess, clients: list[YClient]) -> None:
    board = create_board(server.url)
    client = await join(server.url, clients, board, "facilitator")
    witness = await join(server.url, clients, board, "participant")
    before, frames = await settled(server.url, board, witness)
    good = client.change(
        "notes",
        lambda d: d.get("notes", type=Map).__setitem__("n", Map({"authorId": client.me})),
    )
    frame = encode_update(good)
    bad_frames = [
        b"",  # nothing
        b"\x00",  # sync without a sync type
        b"\x00\x02",  # update without a length
        b"\x07\x00\x00",  # unknown message type
        b"\x00\x05\x00",  # unknown sync type
        frame[:-1],  # truncated
        frame + b"\x00",  # trailing byte
        b"\x00\x02\x03\xff\xff\xff",  # an update that is not one
        encode_step1(b"\xff\xff"),  # a state vector that is not one
        encode_awareness(b"\x01\x05\x01\x03{x}"),  # presence that is not JSON
    ]
    for bad in bad_frames:
        assert_refused(await client.call("notes", bad), "malformed")
    # Presence only travels on notes.
    presence = encode_awareness(encode_presence([PresenceEntry(5, 1, "{}")]))
    assert_refused(await client.call("layout", presence), "malformed")
    await assert_nothing_happened(server.url, board, before, witness, frames)
    assert await client.call("notes", frame) == {"ok": True}


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("notes",),
        ("notes", b"\x00\x02\x00", "extra"),
        (123, b"\x00"),
        ("notes", "text"),
        ("notes", {"a": 1}),
        ("notes", None),
        (None, None),
        ("votes", b"\x00\x02\x02\x00\x00"),
        ("NOTES", b"\x00\x02\x02\x00\x00"),
        ("x" * 10_000, b"\x00"),
    ],
    ids=[
        "none",
        "one",
        "three",
        "int-name",
        "str-frame",
        "dict-frame",
        "none-frame",
        "nones",
        "unknown-doc",
        "wrong-case-doc",
        "huge-name",
    ],
)
async def test_junk_arguments_are_refused(
    server: ServerProcess, clients: list[YClient], args: tuple
) -> None:
    board = create_board(server.url)
    client = await join(server.url, clients, board, "facilitator")
    assert_refused(await client.call(*args), "malformed")
    assert await client.add_note("after", "still fine") == {"ok": True}


async def test_unknown_event_is_refused(server: ServerProcess, clients: list[YClient]) -> None:
    board = create_board(server.url)
    client = await join(server.url, clients, board, "facilitator")
    ack = await client.sio.call("bogus", {"x": 1}, timeout=5)
    assert_refused(ack, "bad_request")


async def test_oversized_message_is_refused_and_connection_stays(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = create_board(server.url)
    client = await join(server.url, clients, board, "facilitator")
    witness = await join(server.url, clients, board, "participant")
    limit = client.welcome["limits"]["maxMessageBytes"]
    before, frames = await settled(server.url, board, witness)
    assert_refused(
        await client.call("notes", b"\x00\x02" + b"\x00" * (limit + 10)), "payload_too_large"
    )
    # A real update over the limit, built by the CRDT itself.
    big = client.change(
        "notes", lambda d: d.get("notes", type=Map).__setitem__("big", "x" * (limit + 100))
    )
    assert_refused(await client.call("notes", encode_update(big)), "payload_too_large")
    await assert_nothing_happened(server.url, board, before, witness, frames)
    assert client.sio.connected
    other = await join(server.url, clients, board, "facilitator")
    assert await other.add_note("small", "petite") == {"ok": True}


async def test_rate_limited_when_writing_too_fast(own_server, clients: list[YClient]) -> None:
    server = own_server(ARDOISE_WRITES_PER_SECOND="0.5", ARDOISE_WRITE_BURST="8")
    board = create_board(server.url)
    # The handshake spends 4 of the burst: two sync step 1s and two step 2 answers.
    client = await join(server.url, clients, board, "facilitator")
    await eventually(
        lambda: len(client.step2_acks) == 2 and all(a.done() for a in client.step2_acks)
    )
    acks = [await client.add_note(f"n{i}", f"note {i}") for i in range(10)]
    assert [a["ok"] for a in acks] == [True] * 4 + [False] * 6, acks
    assert_refused(acks[-1], "rate_limited")
    assert "note 9" not in {n["text"] for n in board_state(server.url, board)["notes"]}


async def test_update_past_board_size_is_invalid(own_server, clients: list[YClient]) -> None:
    server = own_server(ARDOISE_MAX_BOARD_BYTES="6000")
    board = create_board(server.url)
    client = await join(server.url, clients, board, "facilitator")
    witness = await join(server.url, clients, board, "participant")
    assert client.welcome["limits"]["maxBoardBytes"] == 6000
    assert await client.add_note("small", "x" * 1000) == {"ok": True}
    before, frames = await settled(server.url, board, witness)
    assert_refused(await client.add_note("big", "y" * 5000), "invalid")
    await assert_nothing_happened(server.url, board, before, witness, frames)


async def test_empty_step2_from_a_reader_is_accepted(
    server: ServerProcess, clients: list[YClient]
) -> None:
    """Readers answer the server's step 1 too; repeating what the board has is no write."""
    board = create_board(server.url)
    facilitator = await join(server.url, clients, board, "facilitator")
    for i in range(3):
        await facilitator.write(
            "layout", lambda d, i=i: d.get("meta", type=Map).__setitem__("title", f"t{i}")
        )
    observer = await join(server.url, clients, board, "observer")
    # Its answers to the server's step 1 of both documents, before this connection ends.
    await eventually(
        lambda: len(observer.step2_acks) >= 2 and all(a.done() for a in observer.step2_acks)
    )
    await observer.disconnect()
    observer.fresh_sio()
    await observer.connect(board["id"], board["tokens"]["observer"])
    await eventually(
        lambda: len(observer.step2_acks) >= 4 and all(a.done() for a in observer.step2_acks)
    )
    assert [a.result() for a in observer.step2_acks] == [{"ok": True}] * len(observer.step2_acks)


def test_doc_helper_sanity() -> None:
    # The refusal tests rely on change() producing exactly one update per edit.
    client = YClient("http://unused")
    update = client.change("notes", lambda d: d.get("notes", type=Map).__setitem__("k", "v"))
    other: Doc = Doc()
    other.apply_update(update)
    assert other.get("notes", type=Map).to_py() == {"k": "v"}
