"""DirectWire against a real uvicorn on loopback: what it writes is what Socket.IO clients read.

It reaches into uvicorn's WebSocket protocol, so these tests are what tells an upgrade of
uvicorn or websockets that broke it: the fan-out would then fall back (or worse, corrupt frames).
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import socketio
import uvicorn
import websockets
from engineio import packet as eio_packet
from socketio import packet as sio_packet
from websockets.frames import Frame, Opcode

from server.realtime.wire import DirectWire, encode_frames
from tests.support.waiting import eventually

AsgiApp = Callable[..., Awaitable[None]]


@asynccontextmanager
async def serving(
    app: AsgiApp, ws: str = "websockets-sansio", deflate: bool = False
) -> AsyncIterator[str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app,
        ws=ws,
        ws_per_message_deflate=deflate,  # off, as server.__main__ runs it
        lifespan="off",
        log_config=None,
        log_level="warning",
        timeout_graceful_shutdown=1,  # else a pending long-poll holds the shutdown for 25 s
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    await eventually(lambda: server.started, what="uvicorn started")
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


def socketio_frames(sio: socketio.AsyncServer, data: list[Any]) -> bytes:
    """What Ardoise's outbox writes for one event: its Engine.IO messages, framed once."""
    encoded = sio.packet_class(sio_packet.EVENT, namespace="/", data=data).encode()
    parts = encoded if isinstance(encoded, list) else [encoded]
    return encode_frames(eio_packet.Packet(eio_packet.MESSAGE, part).encode() for part in parts)


class Recorder:
    """A Socket.IO server that keeps the wire of each connection, and what `for_environ` said."""

    def __init__(self) -> None:
        self.sio = socketio.AsyncServer(async_mode="asgi")
        self.app = socketio.ASGIApp(self.sio)
        self.wires: dict[str, DirectWire | None] = {}
        self.sio.on("connect", self.connect)

    async def connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        self.wires[sid] = DirectWire.for_environ(environ)


async def connected_client(
    address: str, transports: list[str]
) -> tuple[socketio.AsyncClient, list[Any]]:
    client = socketio.AsyncClient(reconnection=False)
    received: list[Any] = []
    client.on("y", lambda *args: received.append(args))
    client.on("note", lambda *args: received.append(args))
    await client.connect(f"http://{address}", transports=transports, wait_timeout=10)
    return client, received


async def test_frames_written_through_the_wire_arrive_as_socketio_events() -> None:
    recorder = Recorder()
    async with serving(recorder.app) as address:
        client, received = await connected_client(address, ["websocket"])
        await eventually(lambda: len(recorder.wires) == 1, what="connect handler")
        wire = next(iter(recorder.wires.values()))
        assert wire is not None
        update = bytes(range(256)) * 300  # binary attachment over 64 KiB: 8-byte length header
        assert wire.write(socketio_frames(recorder.sio, ["y", "notes", update]))
        assert wire.write(socketio_frames(recorder.sio, ["note", {"text": "é <b>"}]))
        await eventually(lambda: len(received) == 2, what="both events")
        assert received == [("notes", update), ({"text": "é <b>"},)]
        await client.disconnect()


async def test_only_a_websocket_served_by_uvicorns_sansio_protocol_gets_a_wire() -> None:
    polling, other_protocol = Recorder(), Recorder()
    async with serving(polling.app) as address:
        client, _ = await connected_client(address, ["polling"])
        await eventually(lambda: len(polling.wires) == 1, what="connect handler")
        assert list(polling.wires.values()) == [None]
        # A graceful disconnect would wait for the pending long-poll (up to 25 s).
        await client.eio.disconnect(abort=True)
    async with serving(other_protocol.app, ws="wsproto") as address:
        client, _ = await connected_client(address, ["websocket"])
        await eventually(lambda: len(other_protocol.wires) == 1, what="connect handler")
        assert list(other_protocol.wires.values()) == [None]
        await client.disconnect()


class RawApp:
    """A bare ASGI WebSocket endpoint that keeps each connection's wire."""

    def __init__(self) -> None:
        self.wires: list[DirectWire | None] = []
        self.closed = asyncio.Event()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        assert scope["type"] == "websocket"
        await receive()  # websocket.connect
        await send({"type": "websocket.accept"})
        self.wires.append(DirectWire.for_environ({"asgi.scope": scope, "asgi.send": send}))
        while (await receive())["type"] != "websocket.disconnect":
            pass
        self.closed.set()


async def test_the_wire_refuses_once_the_connection_closes_or_the_reader_falls_behind() -> None:
    """A paused transport must leave the next message to uvicorn, which waits for it to drain."""
    app = RawApp()
    frame = encode_frames([b"x" * 262_144])
    async with serving(app) as address:
        # A reader that reads nothing: the kernel's buffers fill, then the transport's.
        reader = await websockets.connect(f"ws://{address}/", max_size=None)
        await eventually(lambda: len(app.wires) == 1, what="accepted")
        wire = app.wires[0]
        assert wire is not None
        writes = 0
        while wire.write(frame):
            writes += 1
            assert writes < 2_000, "a transport that nobody reads was never paused"
        assert writes > 0
        await reader.close()
        await asyncio.wait_for(app.closed.wait(), 10)
        assert not wire.write(frame)


async def test_the_wire_refuses_once_the_peer_closed_the_connection() -> None:
    """Not paused, only closed: uvicorn answers the close frame and closes the transport."""
    app = RawApp()
    async with serving(app) as address:
        reader = await websockets.connect(f"ws://{address}/")
        await eventually(lambda: len(app.wires) == 1, what="accepted")
        wire = app.wires[0]
        assert wire is not None
        assert wire.write(encode_frames(["4hello"]))
        assert await reader.recv() == "4hello"
        await reader.close()
        await asyncio.wait_for(app.closed.wait(), 10)
        assert not wire.write(encode_frames(["4hello"]))


async def test_a_compressed_connection_is_left_to_uvicorn() -> None:
    """With permessage-deflate each connection's frames differ: ready-made ones would be wrong."""
    app = RawApp()
    async with (
        serving(app, deflate=True) as address,
        websockets.connect(f"ws://{address}/", compression="deflate"),
    ):
        await eventually(lambda: len(app.wires) == 1, what="accepted")
        assert app.wires == [None]


def test_frames_are_the_bytes_websockets_would_write_at_every_length_boundary() -> None:
    for size in (0, 1, 125, 126, 127, 65_535, 65_536, 300_000):
        text, binary = "é" * (size // 2) + "x" * (size % 2), bytes(range(256)) * (size // 256)
        binary += b"\x00" * (size - len(binary))
        expected = Frame(Opcode.TEXT, text.encode()).serialize(mask=False) + Frame(
            Opcode.BINARY, binary
        ).serialize(mask=False)
        assert encode_frames([text, binary]) == expected, size
