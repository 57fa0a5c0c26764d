"""SocketServer on a real uvicorn: python-socketio's own packets (acknowledgements, CONNECT) are
written straight to an idle WebSocket and still reach every transport whole and in order; events
handled immediately (`on_immediate`) are answered in order, now or later; the lean WebSocket
reader (server.realtime.eio_socket) closes a connection that sends garbage or nothing at all.

Acknowledgements over long-polling (Engine.IO's queue) are exercised by the integration tests,
whose long-polling participants acknowledge their handshake (tests/integration/test_sync.py).
"""

from __future__ import annotations

import asyncio
from typing import Any

import socketio
import websockets
from engineio import packet as eio_packet

from server.errors import OK
from server.realtime.delivery import EncodedMessage
from server.realtime.socket_server import Reply, SocketServer
from server.realtime.wire import DirectWire
from tests.support.waiting import eventually
from tests.unit.realtime.test_wire import serving


class EchoServer:
    """Acknowledges `echo` with its arguments; keeps each WebSocket's wire, as Realtime does.

    `now` is answered by an immediate handler at once, `later` by one that answers from a
    timer (the order of its calls reversed), `broken` by one that raises.
    """

    def __init__(self, **options: Any) -> None:
        self.sio = SocketServer(async_mode="asgi", **options)
        self.app = socketio.ASGIApp(self.sio)
        self.sio.on("connect", self.connect)
        self.sio.on("echo", self.echo)
        self.immediate_calls: list[tuple[str, tuple[Any, ...]]] = []
        self.sio.on_immediate("now", self.now)
        self.sio.on_immediate("later", self.later)
        self.sio.on_immediate("broken", self.broken)
        self.sio.on_immediate("queue_then_put", self.queue_then_put)
        self.sio.on_connected(self.connected)

    def connected(self, sid: str) -> None:
        # Sent right away: it must still reach the client after its CONNECT packet.
        self.greeting = asyncio.create_task(self.sio.emit("hello", sid, to=sid))

    def now(self, sid: str, args: tuple[Any, ...], reply: Reply) -> None:
        self.immediate_calls.append((sid, args))
        reply(OK if args == ("ok",) else {"ok": False, "args": list(args)})

    def later(self, sid: str, args: tuple[Any, ...], reply: Reply) -> None:
        self.immediate_calls.append((sid, args))
        delay = 0.3 - 0.01 * int(args[0])
        asyncio.get_running_loop().call_later(delay, reply, {"ok": True, "n": args[0]})

    def broken(self, sid: str, args: tuple[Any, ...], reply: Reply) -> None:
        raise RuntimeError("a handler bug")

    def queue_then_put(self, sid: str, args: tuple[Any, ...], reply: Reply) -> None:
        """`seq` 1 into Engine.IO's queue, then `seq` 2 through the delivery, in one go."""
        eio_sid = self.sio.manager.eio_sid_from_sid(sid, "/")
        first = eio_packet.Packet(eio_packet.MESSAGE, '2["seq",1]')
        self.sio.eio.sockets[eio_sid].queue.put_nowait(first)
        self.sio.delivery.put(eio_sid, EncodedMessage.of('2["seq",2]'))
        reply(OK)

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


async def test_a_direct_write_never_overtakes_a_packet_queued_for_the_writer() -> None:
    """The writer is parked on an empty queue, so a direct write would be allowed, until
    something is put in the queue: from then on the delivery queues behind it."""
    server = EchoServer()
    async with serving(server.app) as address:
        client = await client_for(address, ["websocket"])
        seen: list[int] = []
        client.on("seq", seen.append)
        for round_ in range(20):
            assert await client.call("queue_then_put", timeout=10) == OK
            await eventually(lambda r=round_: len(seen) == 2 * (r + 1), what="both messages")
        assert seen == [1, 2] * 20
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
    """A long-polling response carries at most 16 packets: python-engineio's client refuses a
    payload of more ("Unexpected packet from server") and drops the connection. A burst of 40
    binary events is 80 packets."""
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


async def test_immediate_events_are_handled_in_order_and_acknowledged_now_or_later() -> None:
    server = EchoServer()
    async with serving(server.app) as address:
        for transports in (["websocket"], ["polling"]):
            server.immediate_calls.clear()
            client = await client_for(address, transports)
            sid = client.get_sid()
            answers = await asyncio.gather(
                client.call("now", "ok", timeout=10),
                client.call("now", (1, "é <b>"), timeout=10),
                *(client.call("later", i, timeout=10) for i in range(10)),
            )
            assert answers[:2] == [{"ok": True}, {"ok": False, "args": [1, "é <b>"]}]
            # Each acknowledgement reached its own call, whatever order they were sent in.
            assert answers[2:] == [{"ok": True, "n": i} for i in range(10)]
            assert server.immediate_calls == [
                (sid, ("ok",)),
                (sid, (1, "é <b>")),
                *((sid, (i,)) for i in range(10)),
            ]
            # Without an acknowledgement asked for, the handler runs all the same.
            await client.emit("now", "ok")
            await eventually(lambda: len(server.immediate_calls) == 13, what="unacknowledged")
            # Closed from the server: a client's pending long-poll then ends at once.
            await server.sio.disconnect(sid)
            await eventually(lambda c=client: not c.connected, what="disconnected")


async def test_a_failing_immediate_handler_costs_its_own_event_only() -> None:
    server = EchoServer()
    async with serving(server.app) as address:
        client = await client_for(address, ["websocket"])
        await client.emit("broken", 1)
        assert await client.call("now", "ok", timeout=10) == {"ok": True}
        assert client.connected
        await client.disconnect()


async def raw_engineio(address: str) -> Any:
    """A WebSocket that has done Engine.IO's open (no Socket.IO connect)."""
    ws = await websockets.connect(f"ws://{address}/socket.io/?EIO=4&transport=websocket")
    opening = await ws.recv()
    assert isinstance(opening, str) and opening.startswith("0{")
    return ws


async def closed_by_server(ws: Any, within_s: float) -> bool:
    async def drain() -> None:
        async for _ in ws:
            pass

    try:
        await asyncio.wait_for(drain(), within_s)
    except TimeoutError:
        return False
    return True


async def test_garbage_or_oversized_frames_close_the_connection_and_nothing_else() -> None:
    server = EchoServer(max_http_buffer_size=1000)
    async with serving(server.app) as address:
        bystander = await client_for(address, ["websocket"])
        for garbage in ("", "x", "9", "4" + "a" * 1000, b"\x00" * 1001):
            ws = await raw_engineio(address)
            await ws.send(garbage)
            assert await closed_by_server(ws, within_s=5), garbage[:5]
        await eventually(lambda: len(server.sio.eio.sockets) == 1, what="sockets released")
        assert await bystander.call("echo", "still here", timeout=10) == {
            "ok": True,
            "args": ["still here"],
        }
        await bystander.disconnect()


async def test_a_connection_that_sends_nothing_is_closed_after_the_ping_deadline() -> None:
    # Engine.IO's deadline is ping_interval + ping_timeout: 2 s here.
    server = EchoServer(ping_interval=1, ping_timeout=1)
    async with serving(server.app) as address:
        ws = await raw_engineio(address)
        assert await closed_by_server(ws, within_s=8)
        await eventually(lambda: not server.sio.eio.sockets, what="socket released")


async def test_a_connection_that_answers_pings_outlives_many_deadlines() -> None:
    """The deadline moves as frames arrive (in steps of an eighth of it), never closing a live
    connection: 6 s here is three deadlines of 2 s."""
    server = EchoServer(ping_interval=1, ping_timeout=1)
    async with serving(server.app) as address:
        client = await client_for(address, ["websocket"])
        await asyncio.sleep(6)
        assert client.connected
        assert await client.call("echo", "alive", timeout=5) == {"ok": True, "args": ["alive"]}
        await client.disconnect()


async def test_what_is_sent_once_connected_follows_the_connect_packet() -> None:
    """A board's welcome is the first event a participant gets: it must follow the CONNECT
    packet, not overtake it (python-socketio sends CONNECT after the connect handler)."""
    server = EchoServer()
    async with serving(server.app) as address:
        for transports in (["websocket"], ["polling"]):
            client = socketio.AsyncClient(reconnection=False)
            seen: list[str] = []
            client.on("connect", lambda s=seen: s.append("CONNECT"))
            client.on("hello", lambda sid, s=seen: s.append("hello"))
            await client.connect(f"http://{address}", transports=transports, wait_timeout=10)
            await eventually(lambda s=seen: len(s) == 2, what="CONNECT and greeting")
            assert seen == ["CONNECT", "hello"]
            await server.sio.disconnect(client.get_sid())
            await eventually(lambda c=client: not c.connected, what="disconnected")
