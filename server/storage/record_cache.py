"""RecordCache: a board's record read once for a burst of connections, then kept a short while.

When a facilitator shares the link, a whole room connects within a second, and every connection
needs the board's record (its tokens) before anything else. Read one by one, 200 connections made
200 identical queries, queued on the database's thread while the room waited to sync
(BENCHMARKS.md, "200 participants join at once"). Here, concurrent lookups of one board share a
single read, and its result is kept for `ttl_s`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

R = TypeVar("R")


class RecordCache(Generic[R]):
    def __init__(
        self, read: Callable[[str], Awaitable[R | None]], ttl_s: float, max_entries: int
    ) -> None:
        """`read(key)`: the record from the database, or None when there is none."""
        self._read = read
        self._ttl_s = ttl_s
        self._max_entries = max_entries
        self._records: dict[str, tuple[float, R]] = {}
        self._lookups: dict[str, asyncio.Task[R | None]] = {}

    async def get(self, key: str) -> R | None:
        cached = self._records.get(key)
        if cached is not None and time.monotonic() - cached[0] < self._ttl_s:
            return cached[1]
        lookup = self._lookups.get(key)
        if lookup is None:
            lookup = asyncio.create_task(self._read_and_keep(key), name=f"record-{key[:6]}")
            self._lookups[key] = lookup
            lookup.add_done_callback(lambda done: self._finished(key, done))
        # Shielded: one caller giving up (its client left) must not cancel the others' read.
        return await asyncio.shield(lookup)

    def forget(self, key: str) -> None:
        """The record changed: the next lookup reads it again, and no read already under way
        may put its older copy back."""
        self._records.pop(key, None)
        self._lookups.pop(key, None)

    async def _read_and_keep(self, key: str) -> R | None:
        started = time.monotonic()
        record = await self._read(key)
        if record is not None and self._lookups.get(key) is asyncio.current_task():
            if len(self._records) >= self._max_entries:
                self._records.clear()
            self._records[key] = (started, record)
        return record

    def _finished(self, key: str, lookup: asyncio.Task[R | None]) -> None:
        if self._lookups.get(key) is lookup:
            del self._lookups[key]
        if not lookup.cancelled():
            # Retrieved here, so a failed read whose callers all left is not reported as lost.
            lookup.exception()
