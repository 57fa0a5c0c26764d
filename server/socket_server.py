"""SocketServer: python-socketio's server, whose own packets take the direct path too, and whose
long-polling responses stay readable by every Engine.IO client.

Every acknowledgement of a write (and the CONNECT answer) is a packet that python-socketio
sends itself. Through Engine.IO's queue, an acknowledgement waited for the socket's writer task
to wake up, a loop turn or more behind the board's fan-out; `Delivery` writes it at once when
nothing is queued before it, exactly as the fan-out's messages (BENCHMARKS.md).

A long-polling response carries everything queued for the connection, and python-engineio's
client refuses a payload of more than 16 packets ("Unexpected packet from server") and drops the
connection: a burst of edits on a board (8 binary messages are 16 packets) cut off a Python
participant behind a proxy without WebSocket. `BoundedPollSocket` answers a poll with at most 16
packets; the rest waits for the next poll, which such a client sends at once.
"""

from __future__ import annotations

import asyncio
from typing import Any

import socketio
from engineio import async_socket, exceptions, packet

from server.delivery import Delivery, EncodedMessage

# python-engineio's `Payload.max_decode_packets`: what its client accepts in one payload.
_MAX_PACKETS_PER_POLL = 16


class BoundedPollSocket(async_socket.AsyncSocket):  # type: ignore[misc]  # untyped package
    async def poll(self) -> list[packet.Packet]:
        """Wait for packets to send, then return at most `_MAX_PACKETS_PER_POLL` of them."""
        queue = self.queue
        try:
            first = await asyncio.wait_for(
                queue.get(), self.server.ping_interval + self.server.ping_timeout
            )
            queue.task_done()
        except (TimeoutError, asyncio.CancelledError):
            raise exceptions.QueueEmpty() from None
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


class SocketServer(socketio.AsyncServer):  # type: ignore[misc]  # untyped package
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.delivery = Delivery(self.eio)

    async def _handle_eio_connect(self, eio_sid: str, environ: dict[str, Any]) -> Any:
        """Engine.IO made the connection's socket just before: give it the bounded poll."""
        socket = self.eio.sockets.get(eio_sid)
        if type(socket) is async_socket.AsyncSocket:
            socket.__class__ = BoundedPollSocket
        return await super()._handle_eio_connect(eio_sid, environ)

    async def _send_packet(self, eio_sid: str, pkt: Any) -> None:
        """python-socketio's own `_send_packet` (5.18), with a direct write tried first."""
        encoded = pkt.encode()
        parts = encoded if isinstance(encoded, list) else [encoded]
        if self.delivery.try_direct(eio_sid, EncodedMessage(parts)):
            return
        for part in parts:
            await self.eio.send(eio_sid, part)
