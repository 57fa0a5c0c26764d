"""Delivery: one Socket.IO message to one connection, straight to its socket when nothing can be
overtaken, else through the connection's Engine.IO queue.

Why: through Engine.IO, every message is a put into the socket's queue, a wake-up of that
socket's writer task (on Python 3.11 `asyncio.wait_for` creates a task at each one), and per frame
an ASGI message, a frame serialisation and a `write` syscall. A message's WebSocket frames are
the same bytes for every recipient, so they are encoded once (`EncodedMessage.frames`) and
written in one `transport.write` (`server.realtime.wire.DirectWire`) whenever the socket's writer
holds nothing (`ArdoiseSocket.writer_parked`).
The board's fan-out (`SocketOutbox`) and python-socketio's own packets (acknowledgements,
CONNECT: `server.realtime.socket_server`) both go through here, so neither overtakes the other.
BENCHMARKS.md has what it saved.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import engineio
from engineio import packet as eio_packet

from server.realtime.eio_socket import ArdoiseSocket
from server.realtime.wire import DirectWire, encode_frames


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


class Delivery:
    def __init__(self, eio: engineio.AsyncServer) -> None:
        self._eio = eio
        self.direct_writes = 0  # for tests and benchmarks

    def add_wire(self, eio_sid: str, wire: DirectWire) -> None:
        """From now on, messages to this connection may be written straight to `wire`."""
        socket = self._eio.sockets.get(eio_sid)
        if isinstance(socket, ArdoiseSocket):
            socket.direct_wire = wire

    def drop_wire(self, eio_sid: str) -> None:
        socket = self._eio.sockets.get(eio_sid)
        if isinstance(socket, ArdoiseSocket):
            socket.direct_wire = None

    def put(self, eio_sid: str, message: EncodedMessage) -> None:
        """Send now if nothing can be overtaken, else queue it for the socket's writer."""
        socket = self._eio.sockets.get(eio_sid)
        if socket is None or socket.closed or socket.closing:
            return
        if not self._write(socket, message.frames):
            _queue(socket, message)

    def put_all(
        self, recipients: Iterable[tuple[str, str]], exclude: str | None, message: EncodedMessage
    ) -> int:
        """`put` to every (sid, Engine.IO sid) of `recipients` but `exclude`: a board's fan-out.
        Returns how many connections it reached.

        `put`'s steps written out in one loop: this runs 199 times per write in a workshop of
        200, where the calls of the general path cost more than the checks (BENCHMARKS.md).
        """
        frames = message.frames
        sockets = self._eio.sockets
        direct = queued = 0
        for sid, eio_sid in recipients:
            if sid == exclude:
                continue
            socket = sockets.get(eio_sid)
            if socket is None or socket.closed or socket.closing:
                continue
            wire = socket.direct_wire if socket.writer_parked else None
            if wire is not None and wire.write(frames):
                direct += 1
            else:
                _queue(socket, message)
                queued += 1
        self.direct_writes += direct
        return direct + queued

    def try_direct(self, eio_sid: str, message: EncodedMessage) -> bool:
        """Send now and return True, or return False and leave it to the caller's regular path."""
        socket = self._eio.sockets.get(eio_sid)
        if socket is None or socket.closed or socket.closing:
            return False
        return self._write(socket, message.frames)

    def _write(self, socket: Any, frames: bytes) -> bool:
        # Only a connection that began as a WebSocket has a wire (`DirectWire.for_environ`): no
        # upgrade from long-polling can be under way. Its writer holding nothing is the flag.
        wire = socket.direct_wire if socket.writer_parked else None
        if wire is None or not wire.write(frames):
            return False
        self.direct_writes += 1
        return True


def _queue(socket: Any, message: EncodedMessage) -> None:
    """The socket's writer task sends what is in its queue (WebSocket or long-polling alike)."""
    for packet in message.packets():
        socket.queue.put_nowait(packet)
