"""Delivery and EncodedMessage on real Engine.IO sockets: who is reached, and when directly."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import socketio
from engineio import packet as eio_packet
from engineio import payload as eio_payload
from socketio import packet as sio_packet
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

from server.realtime.delivery import EncodedMessage
from server.realtime.socket_server import SocketServer
from server.realtime.wire import DirectWire, encode_frames
from tests.support.socket_peers import joined_peer
from tests.support.waiting import eventually
from tests.unit.realtime.test_wire import serving

ATTACHMENT = bytes(range(256)) * 4


def event(sio: socketio.AsyncServer, *data: Any) -> EncodedMessage:
    """One Socket.IO event, encoded as the outbox encodes it."""
    encoded = sio.packet_class(sio_packet.EVENT, namespace="/", data=list(data)).encode()
    return EncodedMessage.of(encoded)


def taken(queue: asyncio.Queue[Any]) -> list[eio_packet.Packet]:
    """Everything in a socket's send queue, as its writer would take it."""
    packets = []
    while not queue.empty():
        packets.append(queue.get_nowait())
        queue.task_done()
    return packets


async def test_a_message_is_its_engineio_packets_framed_once() -> None:
    message = event(SocketServer(async_mode="asgi"), "y", "notes", ATTACHMENT)
    text, binary = message.parts
    assert isinstance(text, str) and text.startswith("51-") and binary == ATTACHMENT
    assert message.frames == encode_frames(["4" + text, ATTACHMENT])
    assert message.frames is message.frames  # encoded once, whoever it goes to
    assert EncodedMessage.of('2["welcome"]').parts == ['2["welcome"]']


async def test_each_recipient_gets_packets_of_its_own_whatever_its_transport() -> None:
    """Engine.IO caches a packet's first encoding: raw bytes for a WebSocket, base64 for
    long-polling. A packet shared by two recipients would reach the second one corrupt."""
    sio = SocketServer(async_mode="asgi")
    web, poll = await joined_peer(sio, "b"), await joined_peer(sio, "b")
    message = event(sio, "y", "notes", ATTACHMENT)
    assert message.packets()[1] is not message.packets()[1]
    recipients = [(web.sid, web.eio_sid), (poll.sid, poll.eio_sid)]
    assert sio.delivery.put_all(recipients, None, message) == 2
    as_websocket = [pkt.encode() for pkt in taken(web.socket.queue)]
    assert as_websocket == ["4" + str(message.parts[0]), ATTACHMENT]
    as_polling = eio_payload.Payload(packets=taken(poll.socket.queue)).encode()
    decoded = eio_payload.Payload(encoded_payload=as_polling).packets
    assert [pkt.data for pkt in decoded] == message.parts


async def test_the_sender_and_closed_or_closing_sockets_are_skipped() -> None:
    sio = SocketServer(async_mode="asgi")
    sender, reader, closed, closing = [await joined_peer(sio, "b") for _ in range(4)]
    await closed.socket.close(wait=False, abort=True)
    # A socket is closing while its disconnect handler runs: held here until released.
    release = asyncio.Event()

    async def disconnect(sid: str, reason: Any) -> None:
        await release.wait()

    sio.on("disconnect", disconnect)
    closer = asyncio.create_task(closing.socket.close(wait=False, abort=True))
    await eventually(lambda: closing.socket.closing, what="closing")
    assert not closing.socket.closed
    everyone = [(p.sid, p.eio_sid) for p in (sender, reader, closed, closing)]
    gone = ("no-such-sid", "no-such-eio-sid")

    reached = sio.delivery.put_all([*everyone, gone], sender.sid, event(sio, "note", 1))
    for peer in (closed, closing, reader):
        sio.delivery.put(peer.eio_sid, event(sio, "note", 2))
    sio.delivery.put(gone[1], event(sio, "note", 2))

    assert reached == 1
    assert reader.events() == [["note", 1], ["note", 2]]
    assert all(peer.socket.queue.empty() for peer in (sender, closed, closing))
    release.set()
    await closer


async def test_without_a_wire_every_message_is_queued_in_order() -> None:
    sio = SocketServer(async_mode="asgi")
    peer = await joined_peer(sio, "b")
    sio.delivery.put(peer.eio_sid, event(sio, "note", 1))
    sio.delivery.put_all([(peer.sid, peer.eio_sid)], None, event(sio, "note", 2, ATTACHMENT))
    assert sio.delivery.try_direct(peer.eio_sid, event(sio, "note", 3)) is False
    assert peer.events() == [["note", 1], ["note", 2, ATTACHMENT]]
    assert sio.delivery.direct_writes == 0


class WiredServer:
    """A SocketServer on a real uvicorn that gives each WebSocket connection its wire."""

    def __init__(self) -> None:
        self.sio = SocketServer(async_mode="asgi")
        self.app = socketio.ASGIApp(self.sio)
        self.protocols: dict[str, WebSocketsSansIOProtocol] = {}
        self.sio.on("connect", self.connect)

    async def connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        eio_sid = self.sio.manager.eio_sid_from_sid(sid, "/")
        wire = DirectWire.for_environ(environ)
        if wire is not None:
            self.sio.delivery.add_wire(eio_sid, wire)
            self.protocols[eio_sid] = environ["asgi.send"].__self__

    def socket(self, client: socketio.AsyncClient) -> Any:
        return self.sio.eio.sockets[self.sio.manager.eio_sid_from_sid(client.get_sid(), "/")]


@asynccontextmanager
async def wired_client(
    transports: list[str],
) -> AsyncIterator[tuple[WiredServer, Any, list[list[Any]]]]:
    """A client connected to a WiredServer; its socket on the server; the events it receives,
    once the socket's writer is parked on an empty queue."""
    server = WiredServer()
    async with serving(server.app) as address:
        client = socketio.AsyncClient(reconnection=False)
        received: list[list[Any]] = []
        client.on("note", lambda *args: received.append(list(args)))
        await client.connect(f"http://{address}", transports=transports, wait_timeout=10)
        socket = server.socket(client)
        await eventually(lambda: socket.writer_parked, what="the writer parked")
        yield server, socket, received
        # Closed from the server: a pending long-poll then ends at once.
        await server.sio.disconnect(client.get_sid())
        await eventually(lambda: not client.connected, what="disconnected")


async def test_a_parked_writer_and_an_open_wire_mean_a_direct_write() -> None:
    async with wired_client(["websocket"]) as (server, socket, received):
        server.sio.delivery.direct_writes = 0  # the CONNECT answer went that way too
        server.sio.delivery.put(socket.sid, event(server.sio, "note", 1, ATTACHMENT))
        assert server.sio.delivery.direct_writes == 1
        assert socket.queue.empty() and socket.writer_parked
        recipients = [(server.sio.manager.sid_from_eio_sid(socket.sid, "/"), socket.sid)]
        assert server.sio.delivery.put_all(recipients, None, event(server.sio, "note", 2)) == 1
        assert server.sio.delivery.direct_writes == 2
        await eventually(lambda: len(received) == 2, what="both notes")
        assert received == [[1, ATTACHMENT], [2]]


async def test_a_message_waits_behind_what_the_writer_holds() -> None:
    async with wired_client(["websocket"]) as (server, socket, received):
        server.sio.delivery.direct_writes = 0
        socket.queue.put_nowait(eio_packet.Packet(eio_packet.MESSAGE, '2["note",1]'))
        server.sio.delivery.put(socket.sid, event(server.sio, "note", 2))
        assert server.sio.delivery.direct_writes == 0
        await eventually(lambda: len(received) == 2, what="both notes")
        assert received == [[1], [2]]


async def test_a_wire_that_cannot_take_more_leaves_messages_to_the_queue_in_order() -> None:
    async with wired_client(["websocket"]) as (server, socket, received):
        protocol = server.protocols[socket.sid]
        server.sio.delivery.direct_writes = 0
        protocol.pause_writing()  # what the transport calls when its buffer is full
        server.sio.delivery.put(socket.sid, event(server.sio, "note", 1))
        sid = server.sio.manager.sid_from_eio_sid(socket.sid, "/")
        server.sio.delivery.put_all([(sid, socket.sid)], None, event(server.sio, "note", 2))
        assert server.sio.delivery.direct_writes == 0
        protocol.resume_writing()
        await eventually(lambda: len(received) == 2, what="both notes")
        # Parked again, the writer lets the next one go straight to the wire, after the others.
        await eventually(lambda: socket.writer_parked, what="the writer parked again")
        server.sio.delivery.put(socket.sid, event(server.sio, "note", 3))
        assert server.sio.delivery.direct_writes == 1
        await eventually(lambda: len(received) == 3, what="the third note")
        assert received == [[1], [2], [3]]


async def test_a_long_polling_connection_has_no_wire_and_gets_its_messages_queued() -> None:
    async with wired_client(["polling"]) as (server, socket, received):
        assert socket.direct_wire is None
        server.sio.delivery.direct_writes = 0
        for n in range(3):
            server.sio.delivery.put(socket.sid, event(server.sio, "note", n))
        assert server.sio.delivery.direct_writes == 0
        await eventually(lambda: len(received) == 3, what="three notes")
        assert received == [[0], [1], [2]]
