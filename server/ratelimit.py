"""Token buckets: per connection (writes, presence) and per client address (connects, bytes)."""

from __future__ import annotations

import time


class TokenBucket:
    """Allows `burst` events at once and `rate` per second sustained."""

    __slots__ = ("_burst", "_rate", "_tokens", "_updated")

    def __init__(self, rate: float, burst: int) -> None:
        self._rate = rate
        self._burst = float(burst)
        self._tokens = float(burst)
        self._updated = time.monotonic()

    def allow(self) -> bool:
        if self.has_room():
            self._tokens -= 1.0
            return True
        return False

    def has_room(self, amount: float = 1.0) -> bool:
        """Whether `amount` tokens are there now, without taking them."""
        now = time.monotonic()
        self._tokens = min(self._burst, self._tokens + (now - self._updated) * self._rate)
        self._updated = now
        return self._tokens >= amount

    def spend(self, amount: float) -> None:
        """Take `amount` tokens, even into debt (what was already done is counted)."""
        self._tokens -= amount


class KeyedLimiter:
    """One bucket per key (a client address), `per_minute` events with the same burst."""

    # Forget idle keys past this many, so a scan from many addresses cannot grow memory forever.
    _MAX_KEYS = 10_000

    def __init__(self, per_minute: int) -> None:
        self._per_minute = per_minute
        self._buckets: dict[str, TokenBucket] = {}

    def allow(self, key: str) -> bool:
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self._MAX_KEYS:
                self._buckets.clear()
            bucket = self._buckets[key] = TokenBucket(self._per_minute / 60.0, self._per_minute)
        return bucket.allow()

    def has_room(self, key: str) -> bool:
        """Whether `allow(key)` would pass now, without counting an event (a key never seen has)."""
        bucket = self._buckets.get(key)
        return bucket is None or bucket.has_room()


class KeyedByteBudget:
    """Bytes per minute per key (a client address), with a minute's worth as the burst."""

    _MAX_KEYS = 10_000

    def __init__(self, per_minute: int) -> None:
        self._per_minute = per_minute
        self._buckets: dict[str, TokenBucket] = {}

    def _bucket(self, key: str) -> TokenBucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self._MAX_KEYS:
                self._buckets.clear()
            bucket = self._buckets[key] = TokenBucket(self._per_minute / 60.0, self._per_minute)
        return bucket

    def has_room(self, key: str, size: int) -> bool:
        return self._bucket(key).has_room(size)

    def spend(self, key: str, size: int) -> None:
        self._bucket(key).spend(size)
