"""SocketOutbox: delivers a board's messages to its Socket.IO connections, in order, cheaply.

This is the hot path of a workshop: one update of one participant becomes 199 deliveries. So:
- one task per board drains the room's queue in order (never one task per recipient, which is
  what python-socketio's room emit creates, and what made its deliveries so costly:
  docs/findings.md, python-socketio and python-engineio: The fan-out);
- the room hands over updates and presence unframed; the outbox frames and encodes each
  message once, and `server.realtime.delivery` sends it to each recipient: in one write
  from this task to an idle WebSocket connection, otherwise through the recipient socket's
  Engine.IO queue, which that socket's own writer sends;
- what has gathered by the time this task runs is merged: the updates of each document into one
  update, presence into one awareness update (each sender gets the merge of the others' changes);
- under a heavy fan-out the task waits a few milliseconds before it runs, so that more gathers
  (`server.realtime.merge_window`); a quiet board's messages leave at once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable
from typing import Any

import socketio
from pycrdt import merge_updates
from socketio import packet as sio_packet

from server.boards.presence import PresenceEntry, encode_presence, parse_presence
from server.errors import ArdoiseError
from server.metrics import Metrics
from server.protocol import DocName, Event, encode_awareness, encode_update
from server.realtime.delivery import Delivery, EncodedMessage
from server.realtime.merge_window import MergeWindow

log = logging.getLogger(__name__)

# Presence reaching the outbox was already checked by the room, size included.
_ANY_SIZE = 1 << 30

_NAMESPACE = "/"
# Merging is super-linear in the number of updates (docs/findings.md, pycrdt: Cost); past this,
# send a new message.
_MAX_MERGE = 64


class _Item:
    """One queued message: a board-wide update or presence (mergeable), or an event for one."""

    __slots__ = ("args", "doc_name", "event", "exclude", "payload", "sid")

    def __init__(
        self,
        sid: str | None,
        event: str,
        args: tuple[Any, ...],
        exclude: str | None = None,
        doc_name: str | None = None,
        payload: bytes = b"",
    ) -> None:
        self.sid = sid  # the one recipient; None: every member of the board but `exclude`
        self.event = event
        self.args = args
        self.exclude = exclude
        # For board-wide items: the document an update belongs to (None: presence), unframed.
        self.doc_name = doc_name
        self.payload = payload


class SocketOutbox:
    def __init__(
        self,
        sio: socketio.AsyncServer,
        board_id: str,
        delivery: Delivery,
        window: MergeWindow,
        metrics: Metrics | None = None,
    ) -> None:
        self._sio = sio
        self._metrics = metrics or Metrics()
        # When the oldest message now queued came: the fan-out's latency runs from there.
        self._first_queued_at = 0.0
        self._board_id = board_id
        self._delivery = delivery
        self._window = window
        self._items: deque[_Item] = deque()
        self._wake = asyncio.Event()
        self._task = asyncio.create_task(self._run(), name=f"outbox-{board_id[:6]}")
        self.messages = 0  # counters for tests and benchmarks
        self.merged_updates = 0

    def update(self, doc_name: str, update: bytes, exclude: str | None) -> None:
        self._note_first()
        self._items.append(_Item(None, Event.Y, (), exclude, doc_name, update))
        self._wake.set()

    def presence(self, payload: bytes, exclude: str | None) -> None:
        self._note_first()
        self._items.append(_Item(None, Event.Y, (), exclude, None, payload))
        self._wake.set()

    def to_member(self, sid: str, event: str, args: tuple[Any, ...]) -> None:
        self._note_first()
        self._items.append(_Item(sid, event, args))
        self._wake.set()

    def _note_first(self) -> None:
        if not self._items:
            self._first_queued_at = time.monotonic()

    def close(self) -> None:
        self._task.cancel()

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await self._wake.wait()
            hold = self._window.hold_s(loop.time())
            if hold:
                await asyncio.sleep(hold)
            self._wake.clear()
            first_queued_at = self._first_queued_at
            deliveries = self._drain()
            self._window.delivered(deliveries, loop.time())
            if deliveries:
                self._metrics.deliveries.inc(deliveries)
                self._metrics.fanout_seconds.observe(time.monotonic() - first_queued_at)

    def _drain(self) -> int:
        """Everything queued, without awaiting: no other task can slip between two messages.
        Returns the deliveries made: one update or presence change reaching one connection,
        however many share a message, so that the board's rate does not drop as merging grows.

        Board-wide updates and presence are merged between two messages of another kind (a
        member's welcome, its handshake answer...), which keep their place in the order.
        """
        updates: dict[str, list[_Item]] = {}
        presence: list[_Item] = []
        deliveries = 0

        def flush() -> None:
            nonlocal deliveries
            for doc_name, batch in updates.items():
                for start in range(0, len(batch), _MAX_MERGE):
                    chunk = batch[start : start + _MAX_MERGE]
                    deliveries += len(chunk) * self._guarded(self._send_updates, doc_name, chunk)
            if presence:
                deliveries += len(presence) * self._guarded(self._send_presence, presence)
            updates.clear()
            presence.clear()

        items = self._items
        while items:
            item = items.popleft()
            if item.sid is not None:
                flush()
                deliveries += self._guarded(self._send, item.sid, item.event, item.args, None)
            elif item.doc_name is not None:
                updates.setdefault(item.doc_name, []).append(item)
            else:
                presence.append(item)
        flush()
        return deliveries

    def _guarded(self, send: Callable[..., int], *args: Any) -> int:
        """One message sent; a broken one costs itself only, never what was queued with it."""
        try:
            return send(*args)
        except (OSError, RuntimeError, ValueError, TypeError, ArdoiseError):
            log.exception("delivering a message on board %s failed", self._board_id)
            return 0

    def _send_updates(self, doc_name: str, batch: list[_Item]) -> int:
        if len(batch) == 1:
            single = encode_update(batch[0].payload)
            return self._send(self._board_id, Event.Y, (doc_name, single), batch[0].exclude)
        self.merged_updates += len(batch)
        updates = [item.payload for item in batch]
        everyone = self._encode(Event.Y, (doc_name, encode_update(merge_updates(*updates))))
        senders = {item.exclude for item in batch if item.exclude is not None}
        # A sender never gets its own update back (docs/protocol.md section 4): its own merge.
        own: dict[str, EncodedMessage | None] = {}
        for sender in senders:
            others = [item.payload for item in batch if item.exclude != sender]
            frame = encode_update(merge_updates(*others)) if others else None
            own[sender] = self._encode(Event.Y, (doc_name, frame)) if frame else None
        recipients = list(self._sio.manager.get_participants(_NAMESPACE, self._board_id))
        # One message for everyone but the senders (the fan-out's loop), each sender its own.
        deliveries = self._delivery.put_all(
            ((sid, eio_sid) for sid, eio_sid in recipients if sid not in own), None, everyone
        )
        for sid, eio_sid in recipients:
            message = own.get(sid)
            if message is not None:
                self._delivery.put(eio_sid, message)
                deliveries += 1
        return deliveries

    def _send_presence(self, batch: list[_Item]) -> int:
        """One awareness update with the latest state of each client; never one's own back."""
        doc_name = DocName.NOTES.value
        if len(batch) == 1:
            frame = encode_awareness(batch[0].payload)
            return self._send(self._board_id, Event.Y, (doc_name, frame), batch[0].exclude)
        latest: dict[int, tuple[PresenceEntry, str | None]] = {}
        for item in batch:
            for entry in parse_presence(item.payload, _ANY_SIZE):
                latest[entry.client_id] = (entry, item.exclude)

        def message_without(sender: str | None) -> EncodedMessage | None:
            entries = [entry for entry, by in latest.values() if by is None or by != sender]
            if not entries:
                return None
            return self._encode(Event.Y, (doc_name, encode_awareness(encode_presence(entries))))

        everyone = message_without(None)
        own = {item.exclude: message_without(item.exclude) for item in batch if item.exclude}
        deliveries = 0
        for sid, eio_sid in self._sio.manager.get_participants(_NAMESPACE, self._board_id):
            message = own.get(sid, everyone)
            if message is not None:
                self._delivery.put(eio_sid, message)
                deliveries += 1
        return deliveries

    def _send(self, target: str, event: str, args: tuple[Any, ...], exclude: str | None) -> int:
        message = self._encode(event, args)
        participants = self._sio.manager.get_participants(_NAMESPACE, target)
        return self._delivery.put_all(participants, exclude, message)

    def _encode(self, event: str, args: tuple[Any, ...]) -> EncodedMessage:
        """The Engine.IO packets of one Socket.IO event, encoded once for every recipient."""
        self.messages += 1
        encoded = self._sio.packet_class(
            sio_packet.EVENT, namespace=_NAMESPACE, data=[event, *args]
        ).encode()
        return EncodedMessage.of(encoded)
