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
reordered (`server.realtime.delivery` checks the Engine.IO side: an empty queue, a WebSocket
transport).
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from typing import Any

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.protocol import State

_FIN_TEXT = 0x81
_FIN_BINARY = 0x82


def _frame_header(first_byte: int, size: int) -> bytes:
    """RFC 6455 section 5.2, unmasked (a server's frames): FIN + opcode, then the length."""
    if size < 126:
        return bytes((first_byte, size))
    if size < 1 << 16:
        return struct.pack("!BBH", first_byte, 126, size)
    return struct.pack("!BBQ", first_byte, 127, size)


def encode_frames(messages: Iterable[str | bytes]) -> bytes:
    """The WebSocket frames of Engine.IO-encoded messages, as uvicorn would send them.

    Written here rather than through `websockets.frames.Frame`, whose checks and extension
    hooks cost more than the frames themselves once per message
    (tests/unit/realtime/test_wire.py holds both to the same bytes).
    """
    parts: list[bytes] = []
    for message in messages:
        if isinstance(message, bytes):
            parts.append(_frame_header(_FIN_BINARY, len(message)))
            parts.append(message)
        else:
            payload = message.encode()
            parts.append(_frame_header(_FIN_TEXT, len(payload)))
            parts.append(payload)
    return b"".join(parts)


class DirectWire:
    __slots__ = ("_conn", "_protocol", "_transport", "_writable")

    def __init__(self, protocol: WebSocketsSansIOProtocol) -> None:
        self._protocol = protocol
        # Set once by uvicorn before the connection reaches the application, never replaced;
        # kept here because `write` runs once per delivery.
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
        if protocol.conn.state is not State.OPEN or protocol.conn.extensions:
            # With permessage-deflate, each connection's frames differ: ready-made ones would be
            # wrong. Extensions are settled by the handshake, before the application runs.
            return None
        return cls(protocol)

    def write(self, frames: bytes) -> bool:
        """Send now, or return False when only the regular path may (closing, paused).

        `writable` is cleared while the transport's buffer is full: uvicorn's own send then
        waits, holding a message that ours must not overtake. Once the peer's close frame is
        received, uvicorn answers it and closes the transport in the same callback, so
        `close_sent` and `is_closing()` cover every end of the connection (the state of
        websockets' protocol, a property, is not read here: this runs once per delivery).
        """
        if self._protocol.close_sent or not self._writable.is_set() or self._transport.is_closing():
            return False
        self._transport.write(frames)
        return True
