"""RedisBus: the board bus over Redis pub/sub, one channel per board.

One channel per board (not python-socketio's Redis manager, whose single channel makes every
process decode every message of every board: docs/findings.md, python-socketio and
python-engineio: Several processes). A process subscribes only to the boards it has loaded.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Callable

import redis.asyncio as redis
from redis.exceptions import RedisError

from server.boards.bus import BusMessage, decode_bus_message, encode_bus_message
from server.protocol import MalformedFrame

log = logging.getLogger(__name__)

_CHANNEL_PREFIX = "ardoise:board:"
_ORIGIN_BYTES = 8
# Published in one pipeline at most this many at a time.
_MAX_BATCH = 500
_RETRY_S = 0.5


class RedisBus:
    def __init__(self, url: str) -> None:
        self._redis = redis.Redis.from_url(url)
        self._pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        # Every message carries its sender, so a process skips its own (Redis echoes them).
        self._origin = secrets.token_bytes(_ORIGIN_BYTES)
        self._handlers: dict[bytes, Callable[[BusMessage], None]] = {}
        self._outgoing: list[tuple[bytes, bytes]] = []
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self.published = 0
        self.received = 0

    async def start(self) -> None:
        await self._redis.ping()
        self._tasks = [
            asyncio.create_task(self._publish_loop(), name="bus-publish"),
            asyncio.create_task(self._receive_loop(), name="bus-receive"),
        ]

    async def close(self) -> None:
        await self._drain()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._pubsub.aclose()  # type: ignore[no-untyped-call, unused-ignore]  # typed from redis 8.2
        await self._redis.aclose()

    def publish(self, board_id: str, message: BusMessage) -> None:
        channel = (_CHANNEL_PREFIX + board_id).encode()
        self._outgoing.append((channel, self._origin + encode_bus_message(message)))
        self._wake.set()

    async def subscribe(self, board_id: str, deliver: Callable[[BusMessage], None]) -> None:
        channel = (_CHANNEL_PREFIX + board_id).encode()
        self._handlers[channel] = deliver
        await self._pubsub.subscribe(channel)

    async def unsubscribe(self, board_id: str) -> None:
        channel = (_CHANNEL_PREFIX + board_id).encode()
        self._handlers.pop(channel, None)
        await self._pubsub.unsubscribe(channel)

    async def _drain(self) -> None:
        while self._outgoing:
            batch = self._outgoing[:_MAX_BATCH]
            pipe = self._redis.pipeline(transaction=False)
            for channel, payload in batch:
                pipe.publish(channel, payload)
            await pipe.execute()
            del self._outgoing[: len(batch)]
            self.published += len(batch)

    async def _publish_loop(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            try:
                await self._drain()
            except (RedisError, OSError):
                # Kept in order and sent again: the other processes must not miss a change.
                log.exception("publishing to Redis failed; retrying")
                await asyncio.sleep(_RETRY_S)
                self._wake.set()

    async def _receive_loop(self) -> None:
        while True:
            if not self._handlers:
                await asyncio.sleep(0.05)
                continue
            try:
                message = await self._pubsub.get_message(timeout=1.0)
            except (RedisError, OSError):
                log.exception("reading from Redis failed; retrying")
                await asyncio.sleep(_RETRY_S)
                continue
            if message is None or message.get("type") != "message":
                continue
            self._dispatch(message["channel"], message["data"])

    def _dispatch(self, channel: bytes, data: bytes) -> None:
        if data[:_ORIGIN_BYTES] == self._origin:
            return
        handler = self._handlers.get(channel)
        if handler is None:
            return
        try:
            decoded = decode_bus_message(data[_ORIGIN_BYTES:])
        except MalformedFrame:
            log.warning("ignored a malformed message on %s", channel.decode(errors="replace"))
            return
        self.received += 1
        handler(decoded)
