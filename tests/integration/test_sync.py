"""Live sync between real clients through the real server (docs/protocol.md section 4)."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from typing import Any

import websockets
from pycrdt import Doc, Map, Text

from server.protocol import encode_update
from tests.conftest import create_board
from tests.support.server_process import ServerProcess
from tests.support.waiting import eventually
from tests.support.yclient import YClient, join_board


async def join(
    server: ServerProcess,
    clients: list[YClient],
    board: dict,
    role: str = "participant",
    name: str = "Camille",
    transport: str | list[str] = "websocket",
) -> YClient:
    participant = {"id": f"id-{len(clients) + 1}", "name": name}
    return await join_board(server.url, clients, board, role, participant, transport)


async def test_welcome_tells_role_limits_and_server_time(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = create_board(server.url)
    alice = await join(server, clients, board, "facilitator")
    welcome = alice.welcome
    assert welcome is not None
    assert welcome["boardId"] == board["id"]
    assert welcome["role"] == "facilitator"
    # An id of the server's (the client's own `id` is ignored), and the credential proving it.
    assert welcome["participantId"] != "id-1"
    assert welcome["credential"].startswith(welcome["participantId"] + ".")
    assert welcome["serverTime"] > 1_700_000_000_000
    assert welcome["limits"]["maxMessageBytes"] > 0
    assert welcome["limits"]["maxBoardBytes"] > welcome["limits"]["maxMessageBytes"]
    assert alice.meta()["title"] == "Atelier"


async def test_two_participants_converge(server: ServerProcess, clients: list[YClient]) -> None:
    board = create_board(server.url)
    alice = await join(server, clients, board, name="Alice")
    bob = await join(server, clients, board, name="Bob")
    assert await alice.add_note("a1", "idée d'Alice") == {"ok": True}
    assert await bob.add_note("b1", "idée de Bob") == {"ok": True}
    both = {"idée d'Alice", "idée de Bob"}
    await eventually(lambda: alice.note_texts() == both and bob.note_texts() == both)

    def type_in_a1(doc) -> None:
        text = doc.get("notes", type=Map)["a1"]["text"]
        text += " !"

    # By default a participant changes only their own notes: refused, and Alice's note unchanged.
    refused = await bob.write("notes", type_in_a1)
    assert refused["ok"] is False and refused["error"]["code"] == "forbidden"
    await bob.resync("notes")
    assert bob.notes()["a1"]["text"] == alice.notes()["a1"]["text"] == "idée d'Alice"
    # Once the facilitator lets everyone change every note, Bob's edit goes through.
    anna = await join(server, clients, board, "facilitator", name="Anna")
    allow = await anna.write(
        "layout", lambda d: d.get("meta", type=Map).__setitem__("editOthersNotes", True)
    )
    assert allow == {"ok": True}
    await eventually(lambda: bob.meta().get("editOthersNotes") is True)
    assert await bob.write("notes", type_in_a1) == {"ok": True}
    await eventually(lambda: alice.notes()["a1"]["text"] == "idée d'Alice !")


async def test_update_is_relayed_to_others_but_never_back_to_its_sender(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = create_board(server.url)
    alice = await join(server, clients, board)
    bob = await join(server, clients, board)
    before = len(alice.frames)
    await alice.add_note("n", "hello")
    await eventually(lambda: "hello" in bob.note_texts())
    await bob.add_note("m", "sync marker")
    await eventually(lambda: "sync marker" in alice.note_texts())
    relayed_to_alice = alice.frames[before:]
    assert len(relayed_to_alice) == 1, relayed_to_alice


async def test_late_joiner_gets_everything(server: ServerProcess, clients: list[YClient]) -> None:
    board = create_board(server.url)
    alice = await join(server, clients, board)
    for i in range(20):
        assert await alice.add_note(f"n{i}", f"note {i}") == {"ok": True}
    late = await join(server, clients, board)
    assert late.note_texts() == {f"note {i}" for i in range(20)}
    assert late.meta()["title"] == "Atelier"


async def test_offline_edits_merge_on_reconnect(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = create_board(server.url)
    alice = await join(server, clients, board)
    bob = await join(server, clients, board)
    await alice.add_note("shared", "avant")
    await eventually(lambda: "avant" in bob.note_texts())

    await alice.disconnect()
    # Offline: Alice keeps editing her local copy while Bob edits on the server.
    alice.change(
        "notes",
        lambda doc: doc.get("notes", type=Map).__setitem__(
            "offline",
            Map({"text": Text("écrit hors ligne"), "rect": [0, 0, 1, 1], "authorId": alice.me}),
        ),
    )
    alice.change("notes", lambda doc: doc.get("notes", type=Map)["shared"]["text"].__iadd__(" A"))
    await bob.add_note("online", "écrit en ligne")

    alice.fresh_sio()
    await alice.connect(
        board["id"], board["tokens"]["participant"], {"id": "id-1", "name": "Alice"}
    )
    expected = {"avant A", "écrit hors ligne", "écrit en ligne"}
    await eventually(lambda: alice.note_texts() == expected and bob.note_texts() == expected)
    assert all(ack.result() == {"ok": True} for ack in alice.step2_acks)
    # And the merge is stored: a new client sees it all.
    late = await join(server, clients, board)
    assert late.note_texts() == expected


async def test_presence_arrives_and_is_removed_on_leave(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = create_board(server.url)
    alice = await join(server, clients, board)
    bob = await join(server, clients, board)
    assert await alice.send_presence(1111, 1, {"name": "Alice", "cursor": [10, 20]}) == {"ok": True}
    await eventually(lambda: bob.presence.get(1111, {}).get("name") == "Alice")
    # A newcomer gets the states of those already present (handshake step 3).
    carol = await join(server, clients, board)
    await eventually(lambda: 1111 in carol.presence)
    await alice.disconnect()
    await eventually(lambda: 1111 not in bob.presence and 1111 not in carol.presence)


async def test_presence_of_another_connection_cannot_be_overwritten(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = create_board(server.url)
    alice = await join(server, clients, board)
    mallory = await join(server, clients, board)
    await alice.send_presence(2222, 1, {"name": "Alice"})
    ack = await mallory.send_presence(2222, 2, {"name": "not Alice"})
    assert ack["ok"] is False and ack["error"]["code"] == "forbidden"


async def test_long_polling_transport_works(server: ServerProcess, clients: list[YClient]) -> None:
    board = create_board(server.url)
    alice = YClient(server.url)
    clients.append(alice)
    await alice.connect(board["id"], board["tokens"]["participant"], transport="polling")
    bob = await join(server, clients, board)
    await alice.add_note("p", "via long-polling")
    await eventually(lambda: "via long-polling" in bob.note_texts())


async def test_merged_relays_never_carry_a_senders_own_changes(
    server: ServerProcess, clients: list[YClient]
) -> None:
    """Updates and presence sent together are merged; each sender gets only the others'."""
    import asyncio

    from server.boards.presence import parse_presence
    from server.boards.update_meta import parse_update
    from server.protocol import MessageType, SyncType, decode_frame

    board = create_board(server.url)
    writers = [await join(server, clients, board, name=f"w{i}") for i in range(4)]
    reader = await join(server, clients, board, "observer")

    async def write(i: int, client: YClient) -> None:
        for k in range(10):
            await asyncio.gather(
                client.add_note(f"w{i}-{k}", f"{i}/{k}"),
                client.send_presence(1000 + i, k + 1, {"name": f"w{i}", "cursor": [k, k]}),
            )

    await asyncio.gather(*(write(i, c) for i, c in enumerate(writers)))
    expected = {f"{i}/{k}" for i in range(4) for k in range(10)}
    await eventually(lambda: all(c.note_texts() == expected for c in [*writers, reader]))
    await eventually(lambda: set(reader.presence) == {1000, 1001, 1002, 1003})
    for i, client in enumerate(writers):
        own_client = client.docs["notes"].client_id
        for _, frame in client.frames:
            message_type, sync_type, payload = decode_frame(frame)
            if message_type is MessageType.AWARENESS:
                assert 1000 + i not in {e.client_id for e in parse_presence(payload, 1 << 20)}
            elif sync_type is SyncType.UPDATE:
                assert own_client not in parse_update(payload).structs


async def test_a_burst_reaches_every_transport_whole_and_in_order(
    server: ServerProcess, clients: list[YClient]
) -> None:
    """WebSocket connections get the fan-out written directly, the others through Engine.IO's
    queue; an upgraded one (polling, then WebSocket) only through the queue. Each must see a
    writer's updates in the order they were made: a gap would leave a receiver's text pending.
    A long-polling receiver beside WebSocket ones must get packets of its own: an Engine.IO packet
    caches its first encoding, so one shared between the two breaks the second.
    """
    import asyncio
    import itertools

    from server.boards.update_meta import parse_update
    from server.protocol import MessageType, SyncType, decode_frame, encode_update

    board = create_board(server.url)
    writer = await join(server, clients, board, name="writer")
    receivers = [
        await join(server, clients, board, name="ws", transport="websocket"),
        await join(server, clients, board, name="polling", transport="polling"),
        await join(server, clients, board, name="upgraded", transport=["polling", "websocket"]),
    ]
    await eventually(lambda: receivers[2].sio.transport() == "websocket", what="upgrade")
    await writer.add_note("n", "")
    typed = "Atelier du 23 novembre : idées <b>&amp; [[liens]]</b> !"

    def type_one(char: str) -> bytes:
        def edit(doc: Doc) -> None:
            # At len(text): pycrdt's Text indexes are UTF-8 bytes, not characters (an index
            # inside "é" makes a broken update, which the server refuses).
            text = doc.get("notes", type=Map)["n"]["text"]
            text.insert(len(text), char)

        return writer.change("notes", edit)

    frames = [type_one(char) for char in typed]
    # All sent without waiting for acks, so the server relays them while others are queued.
    acks = await asyncio.gather(*(writer.call("notes", encode_update(f)) for f in frames))
    assert [ack for ack in acks if ack != {"ok": True}] == []
    for receiver in receivers:
        await eventually(lambda r=receiver: r.note_texts() == {typed}, what="the whole text")
        writer_id = writer.docs["notes"].client_id
        ranges = []
        for name, frame in receiver.frames:
            message_type, sync_type, payload = decode_frame(frame)
            if (
                name == "notes"
                and message_type is MessageType.SYNC
                and sync_type is SyncType.UPDATE
            ):
                ranges.extend(parse_update(payload).structs.get(writer_id, []))
        assert ranges, "no update of the writer arrived"
        for (_, end), (start, _) in itertools.pairwise(ranges):
            assert start == end, f"{receiver.welcome}: out of order or missing: {ranges}"


async def test_writes_sent_right_after_connecting_are_applied_in_order(
    server: ServerProcess, clients: list[YClient]
) -> None:
    """A client may write before its board is loaded for it (no welcome yet): here the Socket.IO
    CONNECT and 30 writes leave in one go, by hand on a WebSocket. The writes wait, in order,
    each building on the one before, and each is acknowledged."""
    board = create_board(server.url)
    # The author was here before: their browser kept the credential the server gave them.
    earlier = await join(server, clients, board, name="Ana")
    assert earlier.welcome is not None and earlier.me is not None
    me, credential = earlier.me, earlier.welcome["credential"]
    await earlier.disconnect()
    author = YClient(server.url)

    def append_word(i: int) -> Callable[[Doc], None]:
        def edit(doc: Doc) -> None:
            notes = doc.get("notes", type=Map)
            if i == 0:
                notes["n"] = Map({"text": Text("0"), "rect": [1, 1, 160, 100], "authorId": me})
            else:
                text = notes["n"]["text"]
                text += f" {i}"

        return edit

    frames = [encode_update(author.change("notes", append_word(i))) for i in range(30)]
    address = server.url.removeprefix("http://")
    async with websockets.connect(f"ws://{address}/socket.io/?EIO=4&transport=websocket") as ws:
        assert str(await ws.recv()).startswith("0{")  # Engine.IO open
        auth = {
            "board": board["id"],
            "token": board["tokens"]["participant"],
            "participant": {"credential": credential, "name": "Ana"},
        }
        await ws.send("40" + json.dumps(auth))
        for ack_id, frame in enumerate(frames):
            # A binary event: its text part, then the attachment.
            await ws.send(f'451-{ack_id}["y","notes",{{"_placeholder":true,"num":0}}]')
            await ws.send(frame)
        acks: dict[int, Any] = {}
        while len(acks) < len(frames):
            message = await asyncio.wait_for(ws.recv(), 10)
            if isinstance(message, str) and message.startswith("43"):
                ack_id = int(re.match(r"43(\d+)", message).group(1))  # type: ignore[union-attr]
                acks[ack_id] = json.loads(message[2 + len(str(ack_id)) :])
    assert acks == {i: [{"ok": True}] for i in range(30)}
    bob = await join(server, clients, board, name="Bob")
    expected = " ".join(str(i) for i in range(30))
    await eventually(lambda: bob.note_texts() == {expected}, what="every write, in order")
