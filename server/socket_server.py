"""SocketServer: python-socketio's server, whose own packets take the direct path too.

Every acknowledgement of a write (and the CONNECT answer) is a packet that python-socketio
sends itself. Through Engine.IO's queue, an acknowledgement waited for the socket's writer task
to wake up, a loop turn or more behind the board's fan-out; `Delivery` writes it at once when
nothing is queued before it, exactly as the fan-out's messages (BENCHMARKS.md).
"""

from __future__ import annotations

from typing import Any

import socketio

from server.delivery import Delivery, EncodedMessage


class SocketServer(socketio.AsyncServer):  # type: ignore[misc]  # untyped package
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.delivery = Delivery(self.eio)

    async def _send_packet(self, eio_sid: str, pkt: Any) -> None:
        """python-socketio's own `_send_packet` (5.18), with a direct write tried first."""
        encoded = pkt.encode()
        parts = encoded if isinstance(encoded, list) else [encoded]
        if self.delivery.try_direct(eio_sid, EncodedMessage(parts)):
            return
        for part in parts:
            await self.eio.send(eio_sid, part)
