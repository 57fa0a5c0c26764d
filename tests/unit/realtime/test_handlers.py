"""Realtime's handlers without a network: what connect, y, vote and stray events answer."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pycrdt import Doc, Map, create_awareness_message
from socketio import packet as sio_packet

from server.boards.credentials import token_digest
from server.boards.records import BoardRecord, utc_now
from server.boards.registry import RoomRegistry
from server.errors import OK
from server.protocol import encode_step1, encode_update
from server.realtime.handlers import Realtime
from server.realtime.identities import Identities, Identity
from server.realtime.merge_window import MergeWindow
from server.realtime.outbox import SocketOutbox
from server.realtime.socket_server import SocketServer
from server.settings import Limits
from server.storage.board_store import BoardStore
from server.storage.engine import create_engine
from server.storage.identity_keys import IdentityKeyStore
from server.storage.schema import migrate
from server.storage.writer import UpdateWriter
from tests.support.socket_peers import Peer, open_peer
from tests.support.waiting import eventually

BOARD = "board-1"
TOKENS = {"facilitator": "f-token", "participant": "p-token", "observer": "o-token"}
STEP1 = encode_step1(Doc().get_state())


@dataclass(slots=True)
class Server:
    sio: SocketServer
    realtime: Realtime
    identities: Identities

    async def identity(self) -> Identity:
        """An identity issued for the board, as a connection of an earlier visit got it."""
        return await self.identities.identify(BOARD, None, "10.0.0.9")

    async def join(
        self,
        token: str = TOKENS["participant"],
        address: str = "10.0.0.1",
        identity: Identity | None = None,
    ) -> Peer:
        """A connection accepted and greeted: its welcome is in."""
        auth: dict[str, Any] = {"board": BOARD, "token": token}
        if identity is not None:
            auth["participant"] = {"credential": identity.credential, "name": "Paul"}
        peer = await open_peer(self.sio, auth, address)
        assert [p.packet_type for p in peer.received()] == [sio_packet.CONNECT]
        assert (await peer.events_at_least(1))[0][0] == "welcome"
        return peer

    def y(self, peer: Peer, *args: Any) -> list[dict[str, Any]]:
        """Hand `y` its arguments as the connection's reader does; its answers go to the list."""
        replies: list[dict[str, Any]] = []
        self.realtime.y(str(peer.sid), args, replies.append)
        return replies


@asynccontextmanager
async def serving(
    tmp_path: Path, limits: Limits | None = None, connects_per_minute: int = 1000
) -> AsyncIterator[Server]:
    """Realtime as the server assembles it, on a board stored in a fresh SQLite database."""
    limits = limits or Limits()
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'h.sqlite3'}")
    await migrate(engine)
    store = BoardStore(engine)
    await store.create_board(
        BoardRecord(
            BOARD, "T", "blank", "fr", "ABCDEF", True, token_digest(TOKENS["facilitator"]),
            TOKENS["participant"], TOKENS["observer"], utc_now(),
        )
    )  # fmt: skip
    writer = UpdateWriter(store, compact_after_updates=1000)
    writer.start()
    sio = SocketServer(async_mode="asgi")
    registry = RoomRegistry(
        store,
        writer,
        lambda board: SocketOutbox(sio, board, sio.delivery, MergeWindow(0, 0)),
        limits,
        unload_delay_s=60,
    )
    identities = Identities(IdentityKeyStore(engine), connects_per_minute)
    realtime = Realtime(
        sio, store, registry, limits, connects_per_minute, sio.delivery, identities=identities
    )
    try:
        yield Server(sio, realtime, identities)
    finally:
        await writer.close()
        await registry.close()
        await store.close()
        await engine.dispose()


def refusal(peer: Peer) -> str:
    """The code of a refused connection, in the shape clients read (docs/protocol.md section 3)."""
    assert peer.sid is None
    [answer] = peer.received()
    assert answer.packet_type == sio_packet.CONNECT_ERROR
    code = answer.data["message"]
    assert answer.data["data"]["code"] == code and answer.data["data"]["message"]
    return str(code)


def note_update(note_id: str, author: Identity) -> bytes:
    doc: Doc[Any] = Doc()
    doc.get("notes", type=Map)[note_id] = Map({"text": "idée", "authorId": author.participant_id})
    return doc.get_update()


def code_of(reply: dict[str, Any]) -> str:
    assert reply["ok"] is False, reply
    return str(reply["error"]["code"])


@pytest.mark.parametrize(
    "auth",
    [
        None,
        "p-token",
        {"token": "p-token"},
        {"board": BOARD},
        {"board": "", "token": "p-token"},
        {"board": BOARD, "token": 42},
        {"board": "b" * 65, "token": "p-token"},
        {"board": BOARD, "token": "t" * 129},
        {"board": BOARD, "token": "p-token", "participant": "Paul"},
        {"board": BOARD, "token": "p-token", "participant": {"id": "not an id!"}},
        {"board": BOARD, "token": "p-token", "participant": {"id": "x" * 65}},
    ],
)
async def test_missing_or_malformed_auth_is_a_bad_request(tmp_path: Path, auth: Any) -> None:
    async with serving(tmp_path) as server:
        peer = await open_peer(server.sio, auth)
        assert refusal(peer) == "bad_request"
        assert server.realtime.connection_count == 0


async def test_an_unknown_board_and_a_wrong_token_are_refused(tmp_path: Path) -> None:
    async with serving(tmp_path) as server:
        unknown = await open_peer(server.sio, {"board": "nope", "token": "p-token"})
        assert refusal(unknown) == "board_not_found"
        wrong = await open_peer(server.sio, {"board": BOARD, "token": "not-the-token"})
        assert refusal(wrong) == "unauthorized"
        assert server.realtime.connection_count == 0


@pytest.mark.parametrize("role", ["facilitator", "participant", "observer"])
async def test_each_token_opens_the_board_with_its_role(tmp_path: Path, role: str) -> None:
    async with serving(tmp_path) as server:
        peer = await open_peer(
            server.sio, {"board": BOARD, "token": TOKENS[role], "participant": {"id": "me-1"}}
        )
        assert peer.received()[0].packet_type == sio_packet.CONNECT
        seen = await peer.events_at_least(3)
        welcome = seen[0][1]
        assert seen[0][0] == "welcome" and welcome["boardId"] == BOARD
        # The participant id is the server's, whatever the client claims (identities.py).
        assert welcome["role"] == role and welcome["participantId"] != "me-1"
        assert welcome["credential"].startswith(welcome["participantId"] + ".")
        assert [(name, doc) for name, doc, _ in seen[1:3]] == [("y", "layout"), ("y", "notes")]


async def test_too_many_connections_from_one_address_are_rate_limited(tmp_path: Path) -> None:
    async with serving(tmp_path, connects_per_minute=2) as server:
        for _ in range(2):  # refused or not, each attempt counts
            assert refusal(await open_peer(server.sio, None, "10.0.0.1")) == "bad_request"
        auth = {"board": BOARD, "token": "p-token"}
        assert refusal(await open_peer(server.sio, auth, "10.0.0.1")) == "rate_limited"
        other = await open_peer(server.sio, auth, "10.0.0.2")
        assert other.sid is not None and server.realtime.connection_count == 1


@pytest.mark.parametrize(
    "args",
    [(), ("notes",), ("notes", STEP1, STEP1), (1, STEP1), ("notes", "text"), ("notes", None)],
)
async def test_y_takes_a_document_name_and_one_binary_frame(tmp_path: Path, args: Any) -> None:
    async with serving(tmp_path) as server:
        peer = await server.join()
        [reply] = server.y(peer, *args)
        assert code_of(reply) == "malformed"


async def test_y_refuses_unknown_documents_broken_frames_and_misplaced_presence(
    tmp_path: Path,
) -> None:
    presence = create_awareness_message(b"\x01\x01\x01\x02{}")
    async with serving(tmp_path) as server:
        peer = await server.join()
        broken = [("board", STEP1), ("notes", b"\x07\x00"), ("notes", b""), ("layout", presence)]
        for args in broken:
            [reply] = server.y(peer, *args)
            assert code_of(reply) == "malformed", args
        assert server.y(peer, "notes", presence) == [OK]


async def test_y_refuses_a_frame_over_the_message_limit(tmp_path: Path) -> None:
    limits = Limits(max_message_bytes=1000)
    async with serving(tmp_path, limits) as server:
        peer = await server.join()
        [reply] = server.y(peer, "notes", encode_update(b"\x00" * 1000))
        assert code_of(reply) == "payload_too_large"


async def test_y_is_rate_limited_per_connection(tmp_path: Path) -> None:
    limits = Limits(writes_per_second=0.001, write_burst=2, presence_per_second=0.001)
    async with serving(tmp_path, limits) as server:
        peer, other = await server.join(), await server.join()
        assert server.y(peer, "layout", STEP1) == [OK]
        assert server.y(peer, "notes", STEP1) == [OK]
        assert code_of(server.y(peer, "notes", STEP1)[0]) == "rate_limited"
        assert server.y(other, "notes", STEP1) == [OK]  # a bucket of its own


async def test_presence_has_its_own_rate_limit(tmp_path: Path) -> None:
    limits = Limits(presence_per_second=0.001, presence_burst=1)
    async with serving(tmp_path, limits) as server:
        peer = await server.join()
        state = json.dumps({"name": "Paul"}).encode()
        frame = create_awareness_message(b"\x01\x07\x01" + bytes([len(state)]) + state)
        assert server.y(peer, "notes", frame) == [OK]
        assert code_of(server.y(peer, "notes", frame)[0]) == "rate_limited"
        assert server.y(peer, "notes", STEP1) == [OK]  # writes are counted apart


async def test_y_from_an_unknown_connection_is_unauthorized(tmp_path: Path) -> None:
    async with serving(tmp_path) as server:
        replies: list[dict[str, Any]] = []
        server.realtime.y("nobody", ("notes", STEP1), replies.append)
        assert code_of(replies[0]) == "unauthorized"


async def test_y_before_the_board_is_ready_is_answered_in_order_once_it_is(
    tmp_path: Path,
) -> None:
    async with serving(tmp_path) as server:
        author = await server.identity()
        update = note_update("n1", author)
        auth = {"participant": {"credential": author.credential, "name": "Paul"}}
        peer = await open_peer(server.sio, {"board": BOARD, "token": "p-token", **auth})
        replies: list[dict[str, Any]] = []
        # Loading the board has only begun: these wait for it, then go in arrival order.
        for args in [("notes", STEP1), ("notes", b"\x07"), ("notes", encode_update(update))]:
            server.realtime.y(str(peer.sid), args, replies.append)
        assert replies == []
        await eventually(lambda: len(replies) == 3, what="three answers")
        assert replies[0] == OK and code_of(replies[1]) == "malformed" and replies[2] == OK


async def test_an_accepted_update_is_relayed_and_acknowledged_once_stored(
    tmp_path: Path,
) -> None:
    async with serving(tmp_path) as server:
        author = await server.identity()
        update = note_update("n1", author)
        writer, reader = await server.join(identity=author), await server.join()
        replies = server.y(writer, "notes", encode_update(update))
        await eventually(lambda: replies == [OK], what="the acknowledgement")
        assert await reader.events_at_least(1) == [["y", "notes", encode_update(update)]]
        assert writer.events() == []


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("n1",),
        ({"noteId": "n1", "delta": 1}, "extra"),
        ({"delta": 1},),
        ({"noteId": "", "delta": 1},),
        ({"noteId": "n" * 65, "delta": 1},),
        ({"noteId": 7, "delta": 1},),
        ({"noteId": "n1", "delta": 2},),
        ({"noteId": "n1", "delta": 0},),
        ({"noteId": "n1", "delta": True},),
        ({"noteId": "n1", "delta": "1"},),
        ({"noteId": "n1"},),
    ],
)
async def test_vote_takes_a_note_id_and_a_delta_of_one(tmp_path: Path, args: Any) -> None:
    async with serving(tmp_path) as server:
        peer = await server.join()
        assert code_of(await server.realtime.vote(str(peer.sid), *args)) == "bad_request"


async def test_a_well_formed_vote_reaches_the_room_and_votes_are_rate_limited(
    tmp_path: Path,
) -> None:
    limits = Limits(writes_per_second=0.001, write_burst=2)
    async with serving(tmp_path, limits) as server:
        peer = await server.join()
        vote = {"noteId": "n1", "delta": 1}
        for _ in range(2):  # voting is off on a new board: the room says so
            assert code_of(await server.realtime.vote(str(peer.sid), vote)) == "vote_closed"
        assert code_of(await server.realtime.vote(str(peer.sid), vote)) == "rate_limited"
        assert code_of(await server.realtime.vote("nobody", vote)) == "unauthorized"


async def test_an_unknown_event_is_answered_bad_request(tmp_path: Path) -> None:
    async with serving(tmp_path) as server:
        peer = await server.join()
        await peer.send('27["draw",{"x":1}]')  # an event with acknowledgement id 7
        [answer] = await peer.at_least(1)
        assert (answer.packet_type, answer.id) == (sio_packet.ACK, 7)
        assert code_of(answer.data[0]) == "bad_request"
        assert "draw" in answer.data[0]["error"]["message"]
