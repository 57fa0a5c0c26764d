"""MergeWindow: how long a board's outbox holds its messages, so that under a heavy fan-out one
message carries several updates.

Why: every message costs each recipient a send (server CPU, mostly the kernel's), and the outbox
merges what has gathered when it runs. Holding a few milliseconds gathers more: at 200
participants writing 100 times a second, 4 ms merges about a quarter of the messages away
(1 - 1 / (1 + 100/s x 4 ms) in theory), for less server CPU and faster acknowledgements (the
commit thread does not wait for the GIL behind back-to-back fan-outs), at the price of a later
fan-out median (BENCHMARKS.md, What changed the figures, 2026-12-03 07:40).
On a quieter board there is little to gather and the wait would be pure latency, so the window
only applies while the board makes at least `busy_deliveries_per_s` deliveries a second (one
update reaching one connection, counted as if unmerged: the rate measures what the board is asked
to deliver, and does not fall, releasing the window, because the window merges).
"""

from __future__ import annotations

# The board's delivery rate is measured over periods of at least this long.
_PERIOD_S = 1.0


class MergeWindow:
    __slots__ = ("_busy_rate", "_counted", "_rate", "_since", "_window_s")

    def __init__(self, window_s: float, busy_deliveries_per_s: float) -> None:
        """`window_s` 0: never hold."""
        self._window_s = window_s
        self._busy_rate = busy_deliveries_per_s
        self._since = float("-inf")  # start of the period being counted
        self._counted = 0
        self._rate = 0.0  # deliveries per second over the last complete period

    def hold_s(self, now: float) -> float:
        """Seconds to wait before draining what is queued now: the window, or 0."""
        if not self._window_s or self._rate < self._busy_rate:
            return 0.0
        # A board that went quiet since its last busy period: that rate no longer holds.
        if now - self._since >= 2 * _PERIOD_S:
            return 0.0
        return self._window_s

    def delivered(self, deliveries: int, now: float) -> None:
        """Count what one drain delivered (one update reaching one connection = one delivery)."""
        self._counted += deliveries
        elapsed = now - self._since
        if elapsed >= _PERIOD_S:
            self._rate = self._counted / elapsed
            self._counted = 0
            self._since = now
