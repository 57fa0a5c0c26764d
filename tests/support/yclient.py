"""A board client of real parts (python-socketio + pycrdt) following docs/protocol.md exactly."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import socketio
from pycrdt import Doc, Map, Text

from server.boards.presence import PresenceEntry, encode_presence, parse_presence
from server.protocol import (
    MessageType,
    SyncType,
    decode_frame,
    encode_awareness,
    encode_step1,
    encode_step2,
    encode_update,
)
from tests.support.waiting import eventually

DOCS = ("layout", "notes")
# Kept locally too; synced only when the client asks (the private writing extension).
ALL_DOCS = (*DOCS, "private")


async def join_board(
    url: str,
    made: list[YClient],
    board: dict[str, Any],
    role: str = "participant",
    participant: dict[str, str] | None = None,
    transport: str | list[str] = "websocket",
) -> YClient:
    """A synced client of `board` with `role`'s token, kept in `made` (the `clients` fixture
    disconnects them at the end of the test)."""
    client = YClient(url)
    made.append(client)
    await client.connect(board["id"], board["tokens"][role], participant, transport=transport)
    return client


class ConnectRefused(Exception):
    """A refused connection, split as socket.io-client does: `err.message` and `err.data`."""

    def __init__(self, packet: Any) -> None:
        super().__init__(repr(packet))
        self.message = packet.get("message") if isinstance(packet, dict) else None
        self.data = packet.get("data") if isinstance(packet, dict) else None


class YClient:
    """Holds both documents of a board; every local change is sent as an acknowledged update."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.sio = socketio.AsyncClient(reconnection=False)
        self.docs: dict[str, Doc] = {doc_name: Doc() for doc_name in ALL_DOCS}
        self.welcome: dict[str, Any] | None = None
        # Who the server said we are, kept across disconnections as the web client keeps it:
        # a reconnection presents the credential (docs/protocol.md section 3).
        self.me: str | None = None
        self._credential: tuple[str, str] | None = None  # (board id, credential)
        self.frames: list[tuple[str, bytes]] = []  # every 'y' frame received, for inspection
        self.events: list[tuple[str, Any]] = []  # every other event
        self.synced: set[str] = set()
        self.presence: dict[int, dict[str, Any]] = {}
        self.acks: list[Any] = []
        self.step2_acks: list[asyncio.Future[Any]] = []
        self._connect_error: Any = None
        self._remote = False
        self._pending: dict[str, list[bytes]] = {doc_name: [] for doc_name in ALL_DOCS}
        self._subscriptions: list[Any] = []
        self._watch_docs()
        self.sio.on("welcome", self._on_welcome)
        self.sio.on("y", self._on_y)
        self.sio.on("connect_error", self._on_connect_error)
        self.sio.on("*", self._on_other)

    # ---- connection ---------------------------------------------------------------------

    async def connect(
        self,
        board: str,
        token: str,
        participant: dict[str, str] | None = None,
        sync: bool = True,
        transport: str | list[str] = "websocket",
    ) -> YClient:
        auth: dict[str, Any] = {"board": board, "token": token}
        if participant is not None:
            if "credential" not in participant and self._credential is not None:
                known_board, credential = self._credential
                if known_board == board:
                    participant = {**participant, "credential": credential}
            auth["participant"] = participant
        await self.connect_raw(auth, transport)
        await eventually(lambda: self.welcome is not None, what="welcome")
        if sync:
            await self.handshake()
        return self

    async def connect_raw(self, auth: Any, transport: str | list[str] = "websocket") -> None:
        """`transport`: one, or a list to begin with the first and upgrade to the next."""
        self._connect_error = None
        transports = [transport] if isinstance(transport, str) else transport
        try:
            await self.sio.connect(self.url, auth=auth, transports=transports, wait_timeout=10)
        except socketio.exceptions.ConnectionError as exc:
            await eventually(lambda: self._connect_error is not None, 2, "connect_error data")
            raise ConnectRefused(self._connect_error) from exc

    async def handshake(self) -> None:
        """Send our state vector for each document and wait for the server's answer."""
        self.synced.clear()
        for doc_name in DOCS:
            ack = await self.call(doc_name, encode_step1(self.docs[doc_name].get_state()))
            assert ack == {"ok": True}, ack
        await eventually(lambda: self.synced == set(DOCS), what="sync step 2 for both docs")

    async def sync_private(self) -> None:
        """Opt in to the private document: send our step 1, wait for the server's step 2."""
        self.synced.discard("private")
        ack = await self.call("private", encode_step1(self.docs["private"].get_state()))
        assert ack == {"ok": True}, ack
        await eventually(lambda: "private" in self.synced, what="private step 2")

    async def vote(self, note_id: Any, delta: Any = 1) -> Any:
        return await self.sio.call("vote", {"noteId": note_id, "delta": delta}, timeout=10)

    @property
    def participant_id(self) -> str:
        """The id the server gave this connection (docs/protocol.md section 3)."""
        assert self.welcome is not None, "not welcomed"
        return str(self.welcome["participantId"])

    def votes_events(self) -> list[dict[str, Any]]:
        return [args[0] for event, args in self.events if event == "votes"]

    def last_votes(self) -> dict[str, Any]:
        """The latest `votes` event, or {} before the first one (safe inside `eventually`)."""
        events = self.votes_events()
        return events[-1] if events else {}

    def received_bytes(self) -> bytes:
        """Everything this client was sent, as one blob, to look for what it must not learn."""
        return (
            b"".join(frame for _, frame in self.frames)
            + json.dumps([list(e) for e in self.events], default=str).encode()
        )

    async def disconnect(self) -> None:
        if self.sio.connected:
            if self.sio.transport() == "polling":
                # python-engineio's client otherwise waits for the pending poll (up to 25 s).
                await self.sio._send_packet(self.sio.packet_class(1, namespace="/"))
                await self.sio.eio.disconnect(abort=True)
            else:
                await self.sio.disconnect()
        self.welcome = None

    def fresh_sio(self) -> None:
        """A new Socket.IO client for the same documents (a reconnect after going offline)."""
        self.sio = socketio.AsyncClient(reconnection=False)
        self.sio.on("welcome", self._on_welcome)
        self.sio.on("y", self._on_y)
        self.sio.on("connect_error", self._on_connect_error)
        self.sio.on("*", self._on_other)

    # ---- writing --------------------------------------------------------------------------

    async def call(self, *args: Any, timeout: float = 10) -> Any:
        ack = await self.sio.call("y", args, timeout=timeout)
        self.acks.append(ack)
        return ack

    def change(self, doc_name: str, edit: Callable[[Doc], None]) -> bytes:
        """Edit the local document; returns the update it produced (not sent)."""
        doc = self.docs[doc_name]
        with doc.transaction():
            edit(doc)
        updates = self._pending[doc_name]
        self._pending[doc_name] = []
        assert len(updates) == 1, f"expected one transaction, got {len(updates)}"
        return updates[0]

    async def write(self, doc_name: str, edit: Callable[[Doc], None]) -> Any:
        """Edit locally and send it as an acknowledged update; returns the ack."""
        update = self.change(doc_name, edit)
        return await self.call(doc_name, encode_update(update))

    async def add_note(
        self, note_id: str, text: str, x: float = 10, y: float = 10, **extra: Any
    ) -> Any:
        def edit(doc: Doc) -> None:
            notes = doc.get("notes", type=Map)
            notes[note_id] = Map(
                {
                    "text": Text(text),
                    "rect": [x, y, 160, 100],
                    "color": "yellow",
                    "authorId": self.me,
                    "author": "Camille",
                    "createdAt": 1,
                    "z": 1,
                    **extra,
                }
            )

        return await self.write("notes", edit)

    async def resync(self, doc_name: str) -> None:
        """What the web client does after a refusal: drop the local copy, sync it afresh."""
        doc = self.docs[doc_name] = Doc()
        self._pending[doc_name] = []

        def on_change(event: Any) -> None:
            if not self._remote:
                self._pending[doc_name].append(event.update)

        self._subscriptions.append(doc.observe(on_change))
        self.synced.discard(doc_name)
        ack = await self.call(doc_name, encode_step1(doc.get_state()))
        assert ack == {"ok": True}, ack
        await eventually(lambda: doc_name in self.synced, what=f"{doc_name} step 2")

    async def send_presence(self, client_id: int, clock: int, state: dict[str, Any] | None) -> Any:
        entry = PresenceEntry(client_id, clock, json.dumps(state))
        return await self.call("notes", encode_awareness(encode_presence([entry])))

    # ---- reading --------------------------------------------------------------------------

    def notes(self) -> dict[str, Any]:
        return self.docs["notes"].get("notes", type=Map).to_py() or {}

    def meta(self) -> dict[str, Any]:
        return self.docs["layout"].get("meta", type=Map).to_py() or {}

    def note_texts(self) -> set[str]:
        return {str(n.get("text")) for n in self.notes().values()}

    # ---- handlers -------------------------------------------------------------------------

    def _watch_docs(self) -> None:
        for doc_name, doc in self.docs.items():

            def on_change(event: Any, doc_name: str = doc_name) -> None:
                if not self._remote:
                    self._pending[doc_name].append(event.update)

            self._subscriptions.append(doc.observe(on_change))

    async def _on_welcome(self, data: dict[str, Any]) -> None:
        self.welcome = data
        self.me = str(data["participantId"])
        if "credential" in data:
            self._credential = (str(data["boardId"]), str(data["credential"]))

    async def _on_connect_error(self, data: Any) -> None:
        self._connect_error = data

    async def _on_other(self, event: str, *args: Any) -> None:
        self.events.append((event, args))

    async def _on_y(self, doc_name: str, frame: bytes) -> None:
        self.frames.append((doc_name, frame))
        message_type, sync_type, payload = decode_frame(frame)
        if message_type is MessageType.AWARENESS:
            for entry in parse_presence(payload, 1 << 20):
                if entry.state == "null":
                    self.presence.pop(entry.client_id, None)
                else:
                    self.presence[entry.client_id] = json.loads(entry.state)
            return
        doc = self.docs[doc_name]
        if sync_type is SyncType.STEP1:
            # Handshake step 1: answer with what the server lacks (from a task: a handler that
            # waits for an ack could block the client's own event loop reader).
            reply = encode_step2(doc.get_update(payload))
            self.step2_acks.append(asyncio.ensure_future(self.call(doc_name, reply)))
            return
        self._remote = True
        try:
            doc.apply_update(payload)
        finally:
            self._remote = False
        if sync_type is SyncType.STEP2:
            self.synced.add(doc_name)


def new_note(
    note_id: str, text: str, author_id: str | None, author: str = "Alice"
) -> Callable[[Doc], None]:
    """An edit adding a note in the documented shape (docs/board-schema.md), by `author_id`."""

    def edit(doc: Doc) -> None:
        doc.get("notes", type=Map)[note_id] = Map(
            {
                "text": Text(text),
                "rect": [0, 0, 100, 80],
                "color": "blue",
                "author": author,
                "authorId": author_id,
            }
        )

    return edit


async def gather_clients(*clients: YClient) -> None:
    await asyncio.gather(*(c.disconnect() for c in clients))
