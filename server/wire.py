"""DirectWire: one `write` of ready-made WebSocket frames to a participant's connection.

Why: the fan-out is the hot path (one update, 199 deliveries). Through Engine.IO, a delivery is
a put into the socket's queue, a wake-up of that socket's writer task (on Python 3.11,
`asyncio.wait_for` creates a task at each one), and per frame an ASGI message, a frame
serialisation and a `write` syscall; a Socket.IO binary event is two frames. Frames that a server
sends are not masked, so a message's frames are the same bytes for every recipient: encoded once
(`encode_frames`), they reach each idle connection in one `transport.write`. BENCHMARKS.md has
what it saved.

It reaches below ASGI, into uvicorn's WebSocket protocol (`websockets-sansio`, which
`server.__main__` selects): `for_environ` returns None for anything else, and the sender then
takes Engine.IO's path, which is always correct. It may only be used when nothing can be
reordered (`server.delivery` checks the Engine.IO side: an empty queue, a WebSocket transport).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.frames import Frame, Opcode
from websockets.protocol import State


def encode_frames(messages: Iterable[str | bytes]) -> bytes:
    """The WebSocket frames of Engine.IO-encoded messages, as uvicorn would send them."""
    frames = []
    for message in messages:
        if isinstance(message, bytes):
            frame = Frame(Opcode.BINARY, message)
        else:
            frame = Frame(Opcode.TEXT, message.encode())
        frames.append(frame.serialize(mask=False))
    return b"".join(frames)


class DirectWire:
    __slots__ = ("_conn", "_protocol", "_transport", "_writable")

    def __init__(self, protocol: WebSocketsSansIOProtocol) -> None:
        self._protocol = protocol
        # Set once by uvicorn before the connection reaches the application, never replaced;
        # kept here because `write` runs once per delivery.
        self._conn = protocol.conn
        self._transport = protocol.transport
        self._writable = protocol.writable

    @classmethod
    def for_environ(cls, environ: dict[str, Any]) -> DirectWire | None:
        """The wire of a Socket.IO connection made over a WebSocket, when uvicorn's is known.

        `environ` is the one Socket.IO's `connect` handler receives; a connection that began
        with long-polling and was upgraded later has none (its environ is the polling request's).
        """
        scope = environ.get("asgi.scope") or {}
        if scope.get("type") != "websocket":
            return None
        protocol = getattr(environ.get("asgi.send"), "__self__", None)
        if not isinstance(protocol, WebSocketsSansIOProtocol):
            return None
        return cls(protocol)

    def write(self, frames: bytes) -> bool:
        """Send now, or return False when only the regular path may (closing, paused, deflate).

        `writable` is cleared while the transport's buffer is full: uvicorn's own send then
        waits, holding a message that ours must not overtake.
        """
        conn = self._conn
        if (
            self._protocol.close_sent
            or not self._writable.is_set()
            or conn.state is not State.OPEN
            or conn.extensions
            or self._transport.is_closing()
        ):
            return False
        self._transport.write(frames)
        return True
