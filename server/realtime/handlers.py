"""Socket.IO handlers (docs/protocol.md sections 3 to 6): decode, check, call the room, acknowledge.

No CRDT logic here: the room decides; this module only translates between the wire and the room.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import socketio

from server.boards.credentials import role_for_secret
from server.boards.registry import RoomRegistry
from server.boards.room import BoardRoom, Member
from server.errors import OK, ArdoiseError, error_body
from server.metrics import Metrics
from server.protocol import (
    PROTOCOL_VERSION,
    DocName,
    ErrorCode,
    Event,
    MalformedFrame,
    MessageType,
    SyncType,
    decode_frame,
)
from server.ratelimit import KeyedByteBudget, KeyedLimiter, TokenBucket
from server.realtime.delivery import Delivery
from server.realtime.identities import BoardGoneForIdentity, Identities, TooManyIdentities
from server.realtime.socket_server import Reply, SocketServer
from server.realtime.wire import DirectWire
from server.settings import Limits
from server.storage.board_store import BoardStore
from server.storage.faults import FaultKind, StorageFault, storage_fault
from server.storage.identity_keys import IdentityKeyStore
from server.storage.writer import BoardGone

log = logging.getLogger(__name__)

# What older clients sent as `auth.participant.id`: still checked, never used (section 3).
_LEGACY_PARTICIPANT_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")
_MAX_NAME_CHARS = 80
_MAX_SECRET_CHARS = 128
# A handshake normally completes within a few event-loop turns; past this the client is gone.
_GREETING_TIMEOUT_S = 10.0
# At shutdown, how long greetings and waiting writes may take to end by themselves.
_CLOSE_WAIT_S = 2.0


@dataclass(slots=True)
class Connection:
    sid: str
    eio_sid: str
    board_id: str
    member: Member
    # The client's address, which per-address budgets are kept by.
    address: str
    # The credential issued to this connection (a new identity), sent once in `welcome`.
    credential: str | None
    writes: TokenBucket
    presence: TokenBucket
    room: BoardRoom | None = None
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    # Writes that came before the board was ready for this connection, in arrival order.
    backlog: deque[tuple[tuple[Any, ...], Reply]] = field(default_factory=deque)


def _refuse(code: ErrorCode, message: str) -> socketio.exceptions.ConnectionRefusedError:
    # The client sees `code` as err.message and the dict as err.data (docs/protocol.md section 3).
    return socketio.exceptions.ConnectionRefusedError(
        code.value, {"code": code.value, "message": message}
    )


def client_address(environ: dict[str, Any]) -> str:
    scope = environ.get("asgi.scope") or {}
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


def _not_stored(failure: str | None) -> dict[str, Any]:
    """The answer to a write the room accepted that storage cannot take now."""
    return error_body(
        ErrorCode.UNAVAILABLE,
        f"the server cannot store changes now ({failure}): kept, not yet stored; "
        "send it again later",
    )


class _WaitingAck:
    """A write's acknowledgement waiting for its commit: answered once, by whichever comes
    first, the commit or storage failing (then `unavailable`; the commit later says nothing)."""

    __slots__ = ("_reply", "_waiting", "answered")

    def __init__(self, reply: Reply, waiting: set[_WaitingAck]) -> None:
        self._reply = reply
        self._waiting = waiting
        self.answered = False
        waiting.add(self)

    def stored(self, stored: asyncio.Future[int]) -> None:
        self._waiting.discard(self)
        if not self.answered:
            self.answered = True
            _reply_once_stored(self._reply, stored)

    def refuse(self, failure: str | None) -> None:
        if not self.answered:
            self.answered = True
            self._reply(_not_stored(failure))


def _reply_once_stored(reply: Reply, stored: asyncio.Future[int]) -> None:
    """Acknowledge a write when its commit's future completes (docs/protocol.md section 4)."""
    if stored.cancelled():
        reply(error_body(ErrorCode.UNAVAILABLE, "the server is stopping; send it again"))
        return
    error = stored.exception()
    if error is None:
        reply(OK)
    elif isinstance(error, BoardGone):
        reply(error_body(ErrorCode.BOARD_NOT_FOUND, "the board was deleted"))
    elif isinstance(error, ArdoiseError):
        reply(error.body())
    else:
        log.error("storing a write failed", exc_info=error)
        reply(error_body(ErrorCode.INTERNAL, "the write could not be stored"))


def _timed(reply: Reply, arrived: float, metrics: Metrics) -> Reply:
    """`reply`, measuring the write's time from its arrival to its acknowledgement."""

    def answer(body: dict[str, Any]) -> None:
        metrics.ack_seconds.observe(time.monotonic() - arrived)
        reply(body)

    return answer


def _cannot_join(failure: str) -> str:
    return f"the server cannot store changes now ({failure}); try again later"


def _clean_name(raw: Any) -> str:
    if not isinstance(raw, str):
        return ""
    return _CONTROL_CHARS.sub("", raw).strip()[:_MAX_NAME_CHARS]


class Realtime:
    def __init__(
        self,
        sio: SocketServer,
        store: BoardStore,
        registry: RoomRegistry,
        limits: Limits,
        connects_per_minute: int,
        delivery: Delivery,
        identities: Identities | None = None,
        token_failures: KeyedLimiter | None = None,
        storage_timeout_s: float = 5.0,
        metrics: Metrics | None = None,
    ) -> None:
        """`delivery`: where each WebSocket connection's direct wire is kept; `identities`: who
        each connection is (server-issued credentials; by default keyed in `store`'s database,
        as many new ones per address as connections); `storage_timeout_s`: how long a
        connection may wait for the database before it is refused `unavailable`."""
        # Wrong tokens and join codes per client address, shared with the HTTP API's checks: one
        # budget of guesses whichever way they come. None: not limited beyond connections.
        self._token_failures = token_failures
        self._identities = identities or Identities(
            IdentityKeyStore(store.engine), connects_per_minute
        )
        self._sio = sio
        self._delivery = delivery
        self._store = store
        self._registry = registry
        self._limits = limits
        self._connect_limiter = KeyedLimiter(connects_per_minute)
        self._write_bytes = KeyedByteBudget(limits.write_bytes_per_address_per_minute)
        self._connections: dict[str, Connection] = {}
        self._storage_timeout_s = storage_timeout_s
        self._metrics = metrics or Metrics()
        self._health = store.health
        # Acknowledgements waiting for a commit, answered `unavailable` when storage fails.
        self._waiting_acks: set[_WaitingAck] = set()
        self._health.watch(self._on_storage_health)
        # Greetings and writes waiting for their board: kept until done (asyncio holds weak refs).
        self._waiting: set[asyncio.Task[None]] = set()
        sio.on("connect", self.connect)
        sio.on_connected(self.connected)
        sio.on("disconnect", self.disconnect)
        sio.on_immediate(Event.Y.value, self.y)
        sio.on(Event.VOTE.value, self.vote)
        sio.on("*", self.unknown_event)

    @property
    def connection_count(self) -> int:
        return len(self._connections)

    async def close(self) -> None:
        """Let greetings under way end (each holds a database connection while it loads its
        board), cancelling those that take longer than a moment."""
        if not self._waiting:
            return
        _, late = await asyncio.wait(set(self._waiting), timeout=_CLOSE_WAIT_S)
        for task in late:
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)

    def _on_storage_health(self, fault: StorageFault | None) -> None:
        if fault is None:
            return
        waiting, self._waiting_acks = self._waiting_acks, set()
        for ack in waiting:
            ack.refuse(fault.message)

    async def connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> bool:
        """Check the auth and who this is; refused `unavailable` at once while storage fails,
        and when the database does not answer within the storage timeout."""
        failure = self._health.failure
        if failure is not None:
            raise _refuse(ErrorCode.UNAVAILABLE, _cannot_join(failure))
        try:
            async with asyncio.timeout(self._storage_timeout_s):
                return await self._connect(sid, environ, auth)
        except TimeoutError:
            self._health.failed(StorageFault(FaultKind.UNREACHABLE))
            raise _refuse(
                ErrorCode.UNAVAILABLE, _cannot_join("the database does not answer")
            ) from None
        except Exception as exc:
            fault = storage_fault(exc)
            if fault is None:
                raise
            self._health.failed(fault)
            raise _refuse(ErrorCode.UNAVAILABLE, _cannot_join(fault.message)) from None

    async def _connect(self, sid: str, environ: dict[str, Any], auth: Any) -> bool:
        if not self._connect_limiter.allow(client_address(environ)):
            raise _refuse(ErrorCode.RATE_LIMITED, "too many connections from this address")
        if not isinstance(auth, dict):
            raise _refuse(ErrorCode.BAD_REQUEST, "auth must be {board, token, participant}")
        board_id, secret = auth.get("board"), auth.get("token")
        if (
            not isinstance(board_id, str)
            or not isinstance(secret, str)
            or not board_id
            or not secret
        ):
            raise _refuse(ErrorCode.BAD_REQUEST, "auth.board and auth.token are required strings")
        if len(board_id) > 64 or len(secret) > _MAX_SECRET_CHARS:
            raise _refuse(ErrorCode.BAD_REQUEST, "auth.board or auth.token is too long")
        participant = auth.get("participant") or {}
        if not isinstance(participant, dict):
            raise _refuse(ErrorCode.BAD_REQUEST, "auth.participant must be {credential, name}")
        legacy_id = participant.get("id")
        if legacy_id is not None and (
            not isinstance(legacy_id, str) or not _LEGACY_PARTICIPANT_ID.fullmatch(legacy_id)
        ):
            raise _refuse(
                ErrorCode.BAD_REQUEST, "auth.participant.id must be 1-64 of [A-Za-z0-9_-]"
            )
        address = client_address(environ)
        failures = self._token_failures
        if failures is not None and not failures.has_room(address):
            raise _refuse(ErrorCode.RATE_LIMITED, "too many wrong tokens from this address")
        board = await self._store.get_board(board_id)
        if board is None:
            if failures is not None:
                failures.allow(address)
            raise _refuse(ErrorCode.BOARD_NOT_FOUND, "no board with this id")
        role = role_for_secret(board, secret)
        if role is None:
            if failures is not None:
                failures.allow(address)
            raise _refuse(ErrorCode.UNAUTHORIZED, "this token or join code does not open the board")
        # The participant id is the server's, never the client's claim (`participant.id` is
        # ignored): proven by a credential it issued, else a new one (realtime/identities.py).
        try:
            identity = await self._identities.identify(
                board_id, participant.get("credential"), client_address(environ)
            )
        except TooManyIdentities:
            raise _refuse(
                ErrorCode.RATE_LIMITED, "too many new participants from this address"
            ) from None
        except BoardGoneForIdentity:
            raise _refuse(ErrorCode.BOARD_NOT_FOUND, "no board with this id") from None
        member = Member(sid, role, identity.participant_id, _clean_name(participant.get("name")))
        eio_sid = self._sio.manager.eio_sid_from_sid(sid, "/")
        self._connections[sid] = Connection(
            sid=sid,
            eio_sid=eio_sid,
            board_id=board_id,
            member=member,
            address=client_address(environ),
            credential=identity.credential,
            writes=TokenBucket(self._limits.writes_per_second, self._limits.write_burst),
            presence=TokenBucket(self._limits.presence_per_second, self._limits.presence_burst),
        )
        wire = DirectWire.for_environ(environ)
        if wire is not None:
            self._delivery.add_wire(eio_sid, wire)
        return True

    def connected(self, sid: str) -> None:
        """python-socketio has sent the CONNECT packet: the greeting may follow it now.

        (Events emitted from `connect` itself would precede the CONNECT packet.)
        """
        if sid not in self._connections:
            return
        self._keep(asyncio.create_task(self._greet(sid)))

    async def _greet(self, sid: str) -> None:
        conn = self._connections.get(sid)
        if conn is None:
            return
        try:
            room = await self._registry.get(conn.board_id)
        except Exception as exc:
            fault = storage_fault(exc)
            if fault is None:
                log.exception("loading board %s failed", conn.board_id)
            else:
                log.error("loading board %s failed: %s", conn.board_id, fault.message)
                self._health.failed(fault)
            await self._sio.emit(
                Event.BOARD_ERROR,
                {"code": ErrorCode.UNAVAILABLE.value, "message": "the board cannot be loaded now"},
                to=sid,
            )
            await self._sio.disconnect(sid)
            return
        if self._connections.get(sid) is not conn:
            self._registry.release(room)
            return
        # From here to enter_room nothing awaits for real, so no relay can slip in between.
        room.join(conn.member, self._welcome(conn))
        await self._sio.enter_room(sid, conn.board_id)
        conn.room = room
        conn.ready.set()

    def _welcome(self, conn: Connection) -> dict[str, Any]:
        welcome: dict[str, Any] = {
            "boardId": conn.board_id,
            "role": conn.member.role.value,
            "participantId": conn.member.participant_id,
            "serverTime": int(time.time() * 1000),
            "protocolVersion": PROTOCOL_VERSION,
            "limits": self._limits.as_welcome(),
        }
        if conn.credential is not None:
            welcome["credential"] = conn.credential
        return welcome

    async def disconnect(self, sid: str, reason: Any = None) -> None:
        conn = self._connections.pop(sid, None)
        if conn is None:
            return
        self._delivery.drop_wire(conn.eio_sid)
        if conn.room is None:
            return
        conn.room.leave(sid)
        if conn.room.is_empty:
            self._registry.release(conn.room)

    async def unknown_event(self, event: str, sid: str, *args: Any) -> dict[str, Any]:
        return error_body(ErrorCode.BAD_REQUEST, f"unknown event {str(event)[:40]!r}")

    async def _ready_room(self, sid: str) -> tuple[Connection, BoardRoom]:
        conn = self._connections.get(sid)
        if conn is None:
            raise ArdoiseError(ErrorCode.UNAUTHORIZED, "not connected to a board")
        if conn.room is None:
            try:
                await asyncio.wait_for(conn.ready.wait(), _GREETING_TIMEOUT_S)
            except TimeoutError:
                raise ArdoiseError(ErrorCode.UNAVAILABLE, "the board is not ready") from None
        assert conn.room is not None  # set together with `ready`
        return conn, conn.room

    async def vote(self, sid: str, *args: Any) -> dict[str, Any]:
        """`vote` {noteId, delta}: ack {ok, remaining} once stored (docs/protocol.md section 5)."""
        try:
            conn, room = await self._ready_room(sid)
            payload = args[0] if len(args) == 1 else None
            if not isinstance(payload, dict):
                raise ArdoiseError(ErrorCode.BAD_REQUEST, "'vote' takes {noteId, delta}")
            note_id, delta = payload.get("noteId"), payload.get("delta")
            if not isinstance(note_id, str) or not 0 < len(note_id) <= 64:
                raise ArdoiseError(ErrorCode.BAD_REQUEST, "noteId must be a note's id")
            if delta not in (1, -1) or isinstance(delta, bool):
                raise ArdoiseError(ErrorCode.BAD_REQUEST, "delta must be +1 or -1")
            if not conn.writes.allow():
                raise ArdoiseError(ErrorCode.RATE_LIMITED, "votes are too frequent; slow down")
            remaining, stored = room.cast_vote(conn.member, note_id, delta)
            await room.durable(stored)
        except ArdoiseError as exc:
            return exc.body()
        except BoardGone:
            return error_body(ErrorCode.BOARD_NOT_FOUND, "the board was deleted")
        return {"ok": True, "remaining": remaining}

    def y(self, sid: str, args: tuple[Any, ...], reply: Reply) -> None:
        """`y` (document name, frame): acknowledged once stored, or at once when refused or when
        there is nothing to store. Runs in the connection's reader (`SocketServer.on_immediate`):
        nothing here awaits, so a connection's messages are applied in the order they came."""
        conn = self._connections.get(sid)
        if conn is None:
            reply(error_body(ErrorCode.UNAUTHORIZED, "not connected to a board"))
            return
        if conn.room is not None and not conn.backlog:
            self._y_in_room(conn, conn.room, args, reply)
            return
        # The board is still being loaded for this connection: its messages wait, in order.
        conn.backlog.append((args, reply))
        if len(conn.backlog) == 1:
            self._keep(asyncio.create_task(self._y_when_ready(conn)))

    def _keep(self, task: asyncio.Task[None]) -> None:
        self._waiting.add(task)
        task.add_done_callback(self._waiting.discard)

    async def _y_when_ready(self, conn: Connection) -> None:
        try:
            _, room = await self._ready_room(conn.sid)
        except ArdoiseError as exc:
            while conn.backlog:
                _, reply = conn.backlog.popleft()
                reply(exc.body())
            return
        while conn.backlog:
            args, reply = conn.backlog.popleft()
            self._y_in_room(conn, room, args, reply)

    def _y_in_room(
        self, conn: Connection, room: BoardRoom, args: tuple[Any, ...], reply: Reply
    ) -> None:
        arrived = time.monotonic()
        try:
            stored = self._handle_y(conn, room, args)
        except ArdoiseError as exc:
            reply(exc.body())
            return
        except BoardGone:
            reply(error_body(ErrorCode.BOARD_NOT_FOUND, "the board was deleted"))
            return
        if stored is None:
            reply(OK)
            return
        self._metrics.updates.inc()
        reply = _timed(reply, arrived, self._metrics)
        if stored.done():
            # Committed on the event loop already: acknowledged before the fan-out leaves.
            _reply_once_stored(reply, stored)
        elif self._health.fault is not None:
            # A resend of what the room holds and cannot store now.
            reply(_not_stored(self._health.failure))
        else:
            stored.add_done_callback(_WaitingAck(reply, self._waiting_acks).stored)

    def _handle_y(
        self, conn: Connection, room: BoardRoom, args: tuple[Any, ...]
    ) -> asyncio.Future[int] | None:
        """Everything up to storage, with no await: messages are handled in arrival order."""
        if len(args) != 2 or not isinstance(args[0], str) or not isinstance(args[1], bytes):
            raise ArdoiseError(ErrorCode.MALFORMED, "'y' takes (document name, binary frame)")
        raw_doc_name, frame = args
        try:
            doc_name = DocName(raw_doc_name)
        except ValueError:
            raise ArdoiseError(
                ErrorCode.MALFORMED, f"unknown document {raw_doc_name[:40]!r} (layout or notes)"
            ) from None
        if len(frame) > self._limits.max_message_bytes:
            raise ArdoiseError(
                ErrorCode.PAYLOAD_TOO_LARGE,
                f"message of {len(frame)} bytes is over {self._limits.max_message_bytes}",
            )
        try:
            message_type, sync_type, payload = decode_frame(frame)
        except MalformedFrame as exc:
            raise ArdoiseError(ErrorCode.MALFORMED, f"bad frame: {exc}") from exc
        if message_type is MessageType.AWARENESS:
            if doc_name is not DocName.NOTES:
                raise ArdoiseError(ErrorCode.MALFORMED, "presence travels on 'notes' only")
            if not conn.presence.allow():
                raise ArdoiseError(ErrorCode.RATE_LIMITED, "presence updates are too frequent")
            room.apply_presence(conn.member, payload)
            return None
        if not conn.writes.allow():
            raise ArdoiseError(ErrorCode.RATE_LIMITED, "messages are too frequent; slow down")
        if sync_type is SyncType.STEP1:
            room.answer_step1(conn.member, doc_name, payload)
            return None
        if not self._write_bytes.has_room(conn.address, len(payload)):
            raise ArdoiseError(
                ErrorCode.RATE_LIMITED, "too much written from this address; wait a minute"
            )
        stored = room.apply(doc_name, payload, conn.member)
        if stored is not None:
            self._write_bytes.spend(conn.address, len(payload))
        return stored
