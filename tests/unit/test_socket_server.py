"""SocketServer on a real uvicorn: python-socketio's own packets (acknowledgements, CONNECT) are
written straight to an idle WebSocket and still reach every transport whole and in order.

Acknowledgements over long-polling (Engine.IO's queue) are exercised by the integration tests,
whose long-polling participants acknowledge their handshake (tests/integration/test_sync.py).
"""

from __future__ import annotations

import asyncio
from typing import Any

import socketio

from server.socket_server import SocketServer
from server.wire import DirectWire
from tests.support.waiting import eventually
from tests.unit.test_wire import serving


class EchoServer:
    """Acknowledges `echo` with its arguments; keeps each WebSocket's wire, as Realtime does."""

    def __init__(self) -> None:
        self.sio = SocketServer(async_mode="asgi")
        self.app = socketio.ASGIApp(self.sio)
        self.sio.on("connect", self.connect)
        self.sio.on("echo", self.echo)

    async def connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        wire = DirectWire.for_environ(environ)
        if wire is not None:
            self.sio.delivery.add_wire(self.sio.manager.eio_sid_from_sid(sid, "/"), wire)

    async def echo(self, sid: str, *args: Any) -> dict[str, Any]:
        return {"ok": True, "args": list(args)}


async def client_for(address: str, transports: list[str]) -> socketio.AsyncClient:
    client = socketio.AsyncClient(reconnection=False)
    await client.connect(f"http://{address}", transports=transports, wait_timeout=10)
    return client


async def test_acknowledgements_to_a_websocket_are_written_directly_and_arrive_whole() -> None:
    server = EchoServer()
    async with serving(server.app) as address:
        client = await client_for(address, ["websocket"])
        before = server.sio.delivery.direct_writes
        payload = bytes(range(256)) * 300  # a binary acknowledgement: text frame + attachment
        acks = await asyncio.gather(
            *(client.call("echo", (i, "é <b>", payload), timeout=10) for i in range(50))
        )
        assert acks == [{"ok": True, "args": [i, "é <b>", payload]} for i in range(50)]
        # Most, if not all, left without Engine.IO's writer task (some may find it busy).
        assert server.sio.delivery.direct_writes - before >= 25
        await client.disconnect()


async def test_a_connection_upgraded_from_polling_gets_its_acknowledgements_in_order() -> None:
    server = EchoServer()
    async with serving(server.app) as address:
        client = await client_for(address, ["polling", "websocket"])
        await eventually(lambda: client.transport() == "websocket", what="upgrade")
        acks = await asyncio.gather(*(client.call("echo", i, timeout=10) for i in range(20)))
        assert acks == [{"ok": True, "args": [i]} for i in range(20)]
        await client.disconnect()


async def test_a_burst_over_long_polling_reaches_a_python_client_whole() -> None:
    """Regression: a long-polling response carried everything queued, and python-engineio's
    client refuses a payload of more than 16 packets ("Unexpected packet from server") and
    drops the connection. A burst of 40 binary events is 80 packets."""
    server = EchoServer()
    burst = [bytes([i]) * 100 for i in range(40)]

    async def send_burst(sid: str) -> dict[str, Any]:
        for part in burst:
            await server.sio.emit("part", part, to=sid)
        return {"ok": True}

    server.sio.on("burst", send_burst)
    async with serving(server.app) as address:
        client = socketio.AsyncClient(reconnection=False)
        received: list[bytes] = []
        client.on("part", received.append)
        await client.connect(f"http://{address}", transports=["polling"], wait_timeout=10)
        assert await client.call("burst", timeout=10) == {"ok": True}
        await eventually(lambda: len(received) == len(burst), what="the whole burst")
        assert received == burst
        assert client.connected
        # Closed from the server: the client's pending long-poll then ends at once.
        await server.sio.disconnect(client.get_sid())
        await eventually(lambda: not client.connected, what="disconnected")
