"""The server's measures for an operator (`GET /metrics`, Prometheus text format).

One `Metrics` per app, in its own registry (no module-level state: two apps in one process, as
tests make, count apart). The hot path only adds to counters and histograms once per batch (an
outbox drain, a commit), never once per recipient; what can be read when asked (boards loaded,
connections, storage) is read at scrape time.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4

CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4

# Seconds, from a quiet board's sub-millisecond acknowledgement to a storage retry's seconds.
_LATENCY_BUCKETS = (
    0.0005,
    0.001,
    0.0025,
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1.0,
    2.5,
    5.0,
    10.0,
)
# How often the event loop's lag is sampled: often enough to see a stall of a few hundred
# milliseconds, rarely enough to cost nothing.
_LAG_SAMPLE_S = 0.25


class Metrics:
    """Counters, histograms and gauges of one server process."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.updates = Counter(
            "ardoise_updates", "Document updates accepted from participants", registry=r
        )
        self.deliveries = Counter(
            "ardoise_deliveries",
            "Updates and presence changes delivered, one per recipient connection",
            registry=r,
        )
        self.ack_seconds = Histogram(
            "ardoise_ack_seconds",
            "From a write's arrival to its acknowledgement (after its commit)",
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.fanout_seconds = Histogram(
            "ardoise_fanout_seconds",
            "From a board's first queued message to its delivery to every member",
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.commit_seconds = Histogram(
            "ardoise_commit_seconds",
            "One commit of updates and votes to the database",
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.storage_errors = Counter(
            "ardoise_storage_errors", "Failed attempts to read or write the database", registry=r
        )
        self.loop_lag_seconds = Histogram(
            "ardoise_event_loop_lag_seconds",
            "How late the event loop ran a timer: time it spent on something else",
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.boards_loaded = Gauge("ardoise_boards_loaded", "Boards held in memory", registry=r)
        self.connections = Gauge(
            "ardoise_connections", "Real-time connections to boards", registry=r
        )
        self.storage_up = Gauge(
            "ardoise_storage_up", "1 while the database takes writes, else 0", registry=r
        )
        self._lag_task: asyncio.Task[None] | None = None

    def read_when_asked(
        self,
        boards: Callable[[], int],
        connections: Callable[[], int],
        storage_works: Callable[[], bool],
    ) -> None:
        """Gauges read at scrape time from the objects that know them."""
        self.boards_loaded.set_function(boards)
        self.connections.set_function(connections)
        self.storage_up.set_function(lambda: 1.0 if storage_works() else 0.0)

    def text(self) -> bytes:
        return generate_latest(self.registry)

    def start(self) -> None:
        self._lag_task = asyncio.create_task(self._sample_lag(), name="ardoise-loop-lag")

    async def stop(self) -> None:
        if self._lag_task is not None:
            self._lag_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._lag_task

    async def _sample_lag(self) -> None:
        while True:
            asked = time.monotonic()
            await asyncio.sleep(_LAG_SAMPLE_S)
            self.loop_lag_seconds.observe(max(0.0, time.monotonic() - asked - _LAG_SAMPLE_S))
