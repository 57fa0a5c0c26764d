"""SocketServer: python-socketio's server, with a cheaper way in and out for a board's writes.

Out: every acknowledgement (and the CONNECT answer) is a packet that python-socketio sends itself.
Through Engine.IO's queue, it waited for the socket's writer task to wake up, a loop turn or more
behind the board's fan-out; `Delivery` writes it at once when nothing is queued before it, exactly
as the fan-out's messages.

In: python-socketio runs every event handler in a task of its own and sends the acknowledgement
when the handler returns. A write (`y`) needs neither: it is checked and applied without waiting,
and acknowledged when its commit's future completes. An event registered with `on_immediate` is
handed a `reply` callback instead, and runs in the connection's reader
(`server.realtime.eio_socket`), in arrival order. BENCHMARKS.md has what both saved.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from functools import partial
from typing import Any

import socketio
from engineio import async_socket
from socketio import packet as sio_packet

from server.errors import OK
from server.realtime.delivery import Delivery, EncodedMessage
from server.realtime.eio_socket import ArdoiseSocket

log = logging.getLogger(__name__)

Reply = Callable[[dict[str, Any]], None]
"""Sends an event's acknowledgement (its one argument); does nothing when none was asked for."""

ImmediateHandler = Callable[[str, tuple[Any, ...], Reply], None]
"""(sid, the event's arguments, reply): must not block; calls `reply` once, now or later."""

_NAMESPACE = "/"
# python-socketio's encoding of an ACK packet of the default namespace carrying OK, after its id.
_OK_ACK_DATA = json.dumps([OK], separators=(",", ":"))


def _no_reply(body: dict[str, Any]) -> None:
    """The client asked for no acknowledgement."""


class SocketServer(socketio.AsyncServer):  # type: ignore[misc]  # untyped package
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.delivery = Delivery(self.eio)
        self._immediate: dict[str, ImmediateHandler] = {}
        self._on_connected: Callable[[str], None] | None = None

    def on_immediate(self, event: str, handler: ImmediateHandler) -> None:
        """Handle `event` of the default namespace in the reader, without a task of its own."""
        self._immediate[event] = handler

    def on_connected(self, handler: Callable[[str], None]) -> None:
        """Call `handler(sid)` once a connection to the default namespace is accepted and its
        CONNECT packet sent: what is sent from then on follows that packet."""
        self._on_connected = handler

    async def _handle_connect(self, eio_sid: str, namespace: str | None, data: Any) -> None:
        await super()._handle_connect(eio_sid, namespace, data)
        if self._on_connected is None or (namespace or _NAMESPACE) != _NAMESPACE:
            return
        sid = self.manager.sid_from_eio_sid(eio_sid, _NAMESPACE)
        if sid is not None and self.manager.is_connected(sid, _NAMESPACE):
            self._on_connected(sid)

    async def _handle_eio_connect(self, eio_sid: str, environ: dict[str, Any]) -> Any:
        """Engine.IO made the connection's socket just before: make it ours."""
        socket = self.eio.sockets.get(eio_sid)
        if type(socket) is async_socket.AsyncSocket:
            socket.__class__ = ArdoiseSocket
            socket.watch_queue()
        return await super()._handle_eio_connect(eio_sid, environ)

    async def _handle_event(
        self, eio_sid: str, namespace: str | None, id: int | None, data: list[Any]
    ) -> None:
        handler = None
        if data and isinstance(data[0], str) and (namespace or _NAMESPACE) == _NAMESPACE:
            handler = self._immediate.get(data[0])
        if handler is None:
            await super()._handle_event(eio_sid, namespace, id, data)
            return
        sid = self.manager.sid_from_eio_sid(eio_sid, _NAMESPACE)
        if sid is None or not self.manager.is_connected(sid, _NAMESPACE):
            return
        reply = _no_reply if id is None else partial(self._acknowledge, eio_sid, id)
        try:
            handler(sid, tuple(data[1:]), reply)
        except Exception:
            log.exception("handling %r failed", data[0])

    def _acknowledge(self, eio_sid: str, id: int, body: dict[str, Any]) -> None:
        if body is OK:
            encoded: Any = f"{sio_packet.ACK}{id}{_OK_ACK_DATA}"
        else:
            encoded = self.packet_class(
                sio_packet.ACK, namespace=_NAMESPACE, id=id, data=[body]
            ).encode()
        self.delivery.put(eio_sid, EncodedMessage.of(encoded))

    async def _send_packet(self, eio_sid: str, pkt: Any) -> None:
        """python-socketio's own `_send_packet` (5.18), with a direct write tried first."""
        message = EncodedMessage.of(pkt.encode())
        if self.delivery.try_direct(eio_sid, message):
            return
        for part in message.parts:
            await self.eio.send(eio_sid, part)
