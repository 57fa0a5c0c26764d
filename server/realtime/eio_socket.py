"""ArdoiseSocket: python-engineio's server socket, with a lean WebSocket reader and a bounded poll.

The reader. python-engineio reads a WebSocket with, for every frame, a new task for the read, an
`asyncio.wait_for` around it (a timer and callbacks), and a new task for the message handler; a
participant's write is two frames (a Socket.IO binary event and its attachment), so six tasks
before our handler runs. Here one loop reads every frame of the connection and hands each message
to python-socketio in that same task, in arrival order; python-socketio still runs event handlers
in tasks of their own, except the ones `SocketServer` answers at once (`y`). The dead-connection
deadline is one timer, moved at most every eighth of it. BENCHMARKS.md has what it saved.

The poll. A long-polling response carries what is queued for the connection, and python-engineio's
client refuses a payload of more than 16 packets ("Unexpected packet from server") and drops the
connection: a burst of edits on a board (8 binary messages are 16 packets) cut off a Python
participant behind a proxy without WebSocket. `poll` answers with at most 16 packets; the rest
waits for the next poll, which such a client sends at once.

The writer's state. A message written straight to the wire (`server.realtime.delivery`) must not
overtake one that this socket's writer holds: `writer_parked` is True only while the writer
waits on an empty queue, and anything put in the queue (`WatchedQueue`) clears it at once. One
flag on the socket, read once per delivery, instead of the queue's internals.

Everything else (handshake, long-polling, upgrade requests, pings, closing) is python-engineio's.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from engineio import async_socket, exceptions, packet

from server.realtime.wire import DirectWire

log = logging.getLogger(__name__)

# python-engineio's `Payload.max_decode_packets`: what its client accepts in one payload.
_MAX_PACKETS_PER_POLL = 16
# The read deadline moves when a frame arrives, but only once this share of it has passed: a
# connection then closes after 7/8 to all of the deadline's silence (Engine.IO's pings keep it far
# shorter), and a participant writing every 2 s moves it every ~6 s instead of at each write
# (rescheduling a timer at every write is a visible share of the server's CPU at a workshop's
# load: BENCHMARKS.md, What changed the figures, 2026-11-30 06:55).
_DEADLINE_STEP_SHARE = 1 / 8


class WatchedQueue(asyncio.Queue[Any]):
    """A socket's send queue that tells its socket when a packet is put in (whatever the path:
    python-engineio's sends, its close, the fan-out's fallback)."""

    owner: ArdoiseSocket

    def _put(self, item: Any) -> None:
        self.owner.writer_parked = False
        super()._put(item)


class _Closed(Exception):
    """The WebSocket ended, timed out or sent what cannot be an Engine.IO packet."""


class ArdoiseSocket(async_socket.AsyncSocket):  # type: ignore[misc]  # untyped package
    # The WebSocket's direct wire (`server.realtime.delivery`), when it has one.
    direct_wire: DirectWire | None = None
    # The writer waits on an empty queue: it holds nothing that a direct write could overtake.
    writer_parked = False

    def watch_queue(self) -> None:
        """Made ours just after python-engineio created it: watch its queue from now on."""
        self.queue.__class__ = WatchedQueue
        self.queue.owner = self

    async def poll(self) -> list[packet.Packet]:
        """Wait for packets to send, then return at most `_MAX_PACKETS_PER_POLL` of them."""
        queue = self.queue
        # Parked only on an empty queue; a put clears it (WatchedQueue), and so does waking up.
        self.writer_parked = queue.empty()
        try:
            first = await asyncio.wait_for(
                queue.get(), self.server.ping_interval + self.server.ping_timeout
            )
            queue.task_done()
        except (TimeoutError, asyncio.CancelledError):
            raise exceptions.QueueEmpty() from None
        finally:
            self.writer_parked = False
        if first is None:  # the socket is closing
            return []
        packets = [first]
        while len(packets) < _MAX_PACKETS_PER_POLL:
            try:
                pkt = queue.get_nowait()
            except asyncio.QueueEmpty:
                break
            queue.task_done()
            if pkt is None:
                queue.put_nowait(None)  # the closing mark stays for the next poll
                break
            packets.append(pkt)
        return packets

    async def _websocket_handler(self, ws: Any) -> None:
        """Serve the connection over `ws` until it ends: python-engineio's contract for it."""
        if self.connected:  # type: ignore[has-type]  # set by the untyped base class
            # The client is upgrading from long-polling; until it is done, packets wait.
            self.upgrading = True
            try:
                self.upgraded = await self._complete_upgrade(ws)
            finally:
                self.upgrading = False
            if not self.upgraded:
                return
        else:
            self.connected = True
            self.upgraded = True
        sender = asyncio.create_task(self._send_queued(ws))
        try:
            await self._read_messages(ws)
        finally:
            self.queue.put_nowait(None)  # ends the sender once it has sent what is queued
            await sender
            await self.close(wait=False, abort=True, reason=self.server.reason.TRANSPORT_CLOSE)

    async def _complete_upgrade(self, ws: Any) -> bool:
        """Engine.IO's upgrade: "2probe" answered "3probe", then the client's UPGRADE packet."""
        limit = self.server.ping_interval + self.server.ping_timeout
        try:
            async with asyncio.timeout(limit):
                probe = self._decode(await self._next_frame(ws))
                if probe.packet_type != packet.PING or probe.data != "probe":
                    return False
                await ws.send(packet.Packet(packet.PONG, data="probe").encode())
                # Ends the client's pending long-poll, so that it sends the UPGRADE packet.
                await self.queue.put(packet.Packet(packet.NOOP))
                upgrade = self._decode(await self._next_frame(ws))
        except (_Closed, TimeoutError):
            return False
        return bool(upgrade.packet_type == packet.UPGRADE)

    async def _send_queued(self, ws: Any) -> None:
        """Send what is queued for this connection, in order, until the socket closes."""
        while True:
            try:
                packets = await self.poll()
            except exceptions.QueueEmpty:
                break
            if not packets:
                break
            try:
                for pkt in packets:
                    await ws.send(pkt.encode())
            except (OSError, RuntimeError):  # the connection is gone (uvicorn raises either)
                break
        await ws.close()

    async def _read_messages(self, ws: Any) -> None:
        """Hand every frame to its handler, in order, in this one task."""
        server = self.server
        on_message = server.handlers.get("message")
        limit = server.ping_interval + server.ping_timeout
        step = limit * _DEADLINE_STEP_SHARE
        loop = asyncio.get_running_loop()
        moved_at = loop.time()
        try:
            async with asyncio.timeout(limit) as deadline:
                while True:
                    pkt = self._decode(await self._next_frame(ws))
                    now = loop.time()
                    if now - moved_at > step:
                        deadline.reschedule(now + limit)
                        moved_at = now
                    if pkt.packet_type == packet.MESSAGE and on_message is not None:
                        await self._on_message(on_message, pkt.data)
                    elif not await self._on_other(pkt):
                        return
        except (_Closed, TimeoutError):
            return

    async def _next_frame(self, ws: Any) -> str | bytes:
        try:
            data = await ws.wait()
        except OSError:  # python-engineio's ASGI WebSocket: the client disconnected
            raise _Closed() from None
        if data is None or len(data) > self.server.max_http_buffer_size:
            raise _Closed()
        return data  # type: ignore[no-any-return]

    @staticmethod
    def _decode(data: str | bytes) -> packet.Packet:
        try:
            pkt = packet.Packet(encoded_packet=data)
        except (ValueError, IndexError, TypeError, UnicodeDecodeError):
            raise _Closed() from None
        if not 0 <= pkt.packet_type < len(packet.packet_names):
            raise _Closed()
        return pkt

    async def _on_message(self, handler: Any, data: Any) -> None:
        try:
            await handler(self.sid, data)
        except Exception:
            # A bad packet (python-socketio raises on an unknown type) costs that packet only.
            log.warning("message from %s dropped", self.sid, exc_info=True)

    async def _on_other(self, pkt: packet.Packet) -> bool:
        """Pings, upgrades, close requests: python-engineio's own. False once the socket closed."""
        try:
            await self.receive(pkt)
        except exceptions.UnknownPacketError:
            pass
        except exceptions.SocketIsClosedError:
            return False
        except Exception:
            log.warning("packet from %s dropped", self.sid, exc_info=True)
        return not self.closed
