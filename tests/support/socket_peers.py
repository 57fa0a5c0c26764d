"""Connections to a real SocketServer without a network: each is a real Engine.IO socket, made and
connected as python-engineio and python-socketio make them, read back from its own send queue."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from engineio.async_socket import AsyncSocket
from socketio import packet as sio_packet

from server.realtime.socket_server import SocketServer
from tests.support.waiting import eventually

_EVENTS = (sio_packet.EVENT, sio_packet.BINARY_EVENT)


def environ_from(address: str) -> dict[str, Any]:
    """What python-engineio's ASGI layer hands the connect handler, as far as Ardoise reads it."""
    return {"asgi.scope": {"type": "http", "client": (address, 40000)}, "REMOTE_ADDR": address}


@dataclass(slots=True)
class Peer:
    sio: SocketServer
    eio_sid: str
    sid: str | None  # None: the Socket.IO connection was refused

    @property
    def socket(self) -> Any:
        return self.sio.eio.sockets[self.eio_sid]

    async def send(self, *messages: str | bytes) -> None:
        """Engine.IO messages from the client, handed over as the socket's reader does."""
        for message in messages:
            await self.sio._handle_eio_message(self.eio_sid, message)

    def received(self) -> list[sio_packet.Packet]:
        """The Socket.IO packets queued for this connection since the last call, decoded."""
        queue = self.socket.queue
        packets: list[sio_packet.Packet] = []
        pending: sio_packet.Packet | None = None
        while not queue.empty():
            eio = queue.get_nowait()
            queue.task_done()
            if pending is not None:
                if pending.add_attachment(eio.data):
                    packets.append(pending)
                    pending = None
                continue
            decoded = sio_packet.Packet(encoded_packet=eio.data)
            if decoded.attachment_count:
                pending = decoded
            else:
                packets.append(decoded)
        assert pending is None, "a binary packet without all its attachments"
        return packets

    def events(self) -> list[list[Any]]:
        """The events received since the last call, each as [name, *args]."""
        return [p.data for p in self.received() if p.packet_type in _EVENTS]

    async def at_least(self, count: int) -> list[sio_packet.Packet]:
        """The packets received from now on, once there are `count` or more."""
        seen: list[sio_packet.Packet] = []

        def enough() -> bool:
            seen.extend(self.received())
            return len(seen) >= count

        await eventually(enough, what=f"{count} packets for {self.sid}")
        return seen

    async def events_at_least(self, count: int) -> list[list[Any]]:
        """The events received from now on, once there are `count` or more."""
        seen: list[list[Any]] = []

        def enough() -> bool:
            seen.extend(self.events())
            return len(seen) >= count

        await eventually(enough, what=f"{count} events for {self.sid}")
        return seen


async def open_peer(
    sio: SocketServer, auth: dict[str, Any] | None = None, address: str = "127.0.0.1"
) -> Peer:
    """An Engine.IO socket (as python-engineio's handshake makes it) and a Socket.IO CONNECT of
    the default namespace with `auth`; the answer (CONNECT or CONNECT_ERROR) is left queued."""
    eio_sid = sio.eio.generate_id()
    sio.eio.sockets[eio_sid] = socket = AsyncSocket(sio.eio, eio_sid)
    await sio.eio._trigger_event("connect", eio_sid, environ_from(address), run_async=False)
    socket.connected = True
    await sio._handle_eio_message(eio_sid, "0" + ("" if auth is None else json.dumps(auth)))
    return Peer(sio, eio_sid, sio.manager.sid_from_eio_sid(eio_sid, "/"))


async def joined_peer(sio: SocketServer, room: str) -> Peer:
    """A connected peer in `room`, with its CONNECT answer already read."""
    peer = await open_peer(sio)
    assert peer.sid is not None
    [answer] = peer.received()
    assert answer.packet_type == sio_packet.CONNECT
    await sio.enter_room(peer.sid, room)
    return peer
