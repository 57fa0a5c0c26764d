"""Delivery: one Socket.IO message to one connection, straight to its socket when nothing can be
overtaken, else through the connection's Engine.IO queue.

Why: through Engine.IO, every message is a put into the socket's queue, a wake-up of that
socket's writer task (on Python 3.11 `asyncio.wait_for` creates a task at each one), and per frame
an ASGI message, a frame serialisation and a `write` syscall. A message's WebSocket frames are
the same bytes for every recipient, so they are encoded once (`EncodedMessage.frames`) and written
in one `transport.write` (`server.wire.DirectWire`) whenever the socket's writer holds nothing.
The board's fan-out (`SocketOutbox`) and python-socketio's own packets (acknowledgements, CONNECT:
`server.socket_server`) both go through here, so neither overtakes the other. BENCHMARKS.md has
what it saved.
"""

from __future__ import annotations

import asyncio
from typing import Any

import engineio
from engineio import packet as eio_packet

from server.wire import DirectWire, encode_frames


class EncodedMessage:
    """One Socket.IO packet, encoded once for all its recipients.

    Engine.IO packets are made per recipient: a Packet caches its first encoding, raw bytes for
    a WebSocket and base64 for long-polling, so one shared between the two breaks the second.
    """

    __slots__ = ("_frames", "parts")

    def __init__(self, parts: list[str | bytes]) -> None:
        """`parts`: what python-socketio's `Packet.encode()` returns, as a list."""
        self.parts = parts
        self._frames: bytes | None = None

    @classmethod
    def of(cls, encoded: str | list[str | bytes]) -> EncodedMessage:
        """From python-socketio's `Packet.encode()`: one string, or a list with attachments."""
        return cls(encoded if isinstance(encoded, list) else [encoded])

    @property
    def frames(self) -> bytes:
        if self._frames is None:
            self._frames = encode_frames(self._packet(part).encode() for part in self.parts)
        return self._frames

    def packets(self) -> list[eio_packet.Packet]:
        return [self._packet(part) for part in self.parts]

    @staticmethod
    def _packet(part: str | bytes) -> eio_packet.Packet:
        return eio_packet.Packet(eio_packet.MESSAGE, part)


def _writer_is_idle(queue: asyncio.Queue[Any]) -> bool:
    """Nothing queued, and the socket's writer task waits in `queue.get()`: it holds nothing.

    An empty queue alone is not enough: on Python 3.11, `asyncio.wait_for` takes the packet out
    in a task of its own and the writer sends it a loop turn later (a board's greeting overtook
    the Socket.IO CONNECT packet that way). `_queue` holds the queued items, `_getters` the
    waiting `get()`s.
    """
    if queue._queue:  # type: ignore[attr-defined]
        return False
    # A loop, not any(<generator>): this runs once per delivery, and measured 85 vs 470 ns.
    for getter in queue._getters:  # type: ignore[attr-defined]  # noqa: SIM110
        if not getter.done():
            return True
    return False


class Delivery:
    def __init__(self, eio: engineio.AsyncServer) -> None:
        self._eio = eio
        # The direct wire of each WebSocket connection, by Engine.IO session id.
        self._wires: dict[str, DirectWire] = {}
        self.direct_writes = 0  # for tests and benchmarks

    def add_wire(self, eio_sid: str, wire: DirectWire) -> None:
        self._wires[eio_sid] = wire

    def drop_wire(self, eio_sid: str) -> None:
        self._wires.pop(eio_sid, None)

    def put(self, eio_sid: str, message: EncodedMessage) -> None:
        """Send now if nothing can be overtaken, else queue it for the socket's writer."""
        socket = self._open_socket(eio_sid)
        if socket is None or self._write(eio_sid, socket, message):
            return
        # The socket's writer task sends what is in its queue (WebSocket or long-polling alike).
        for packet in message.packets():
            socket.queue.put_nowait(packet)

    def try_direct(self, eio_sid: str, message: EncodedMessage) -> bool:
        """Send now and return True, or return False and leave it to the caller's regular path."""
        socket = self._open_socket(eio_sid)
        return socket is not None and self._write(eio_sid, socket, message)

    def _open_socket(self, eio_sid: str) -> Any:
        socket = self._eio.sockets.get(eio_sid)
        if socket is None or socket.closed or socket.closing:
            return None
        return socket

    def _write(self, eio_sid: str, socket: Any, message: EncodedMessage) -> bool:
        wire = self._wires.get(eio_sid)
        # Direct only when the socket's writer holds nothing that this would overtake.
        if (
            wire is not None
            and socket.upgraded
            and not socket.upgrading
            and _writer_is_idle(socket.queue)
            and wire.write(message.frames)
        ):
            self.direct_writes += 1
            return True
        return False
