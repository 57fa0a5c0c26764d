"""LoopShare: how much of the event loop's time may go to commits made on it.

Why: a commit made on the event loop (`SqliteThreadTransactions.run_now`) lets a write be
acknowledged in the turn that received it, before the fan-out, as an in-memory server would; a
hand-off to the commit thread costs that acknowledgement a drain and several turns of the loop
(BENCHMARKS.md). But while it commits, the loop does nothing else: everyone's fan-out waits. So
after a commit that took d seconds the next one may only start d x (1 - share) / share later, and
a disk that answers slowly (a laptop's, a network volume) keeps commits off the loop for a while:
its commits go back to their thread, grouped, where a slow `fsync` delays acknowledgements only.
"""

from __future__ import annotations

# Commit times are smoothed over about the last ten, so that a late fsync (on a shared disk, the
# slowest in a hundred take several times the median: docs/findings.md, SQLite) does not count as a
# slow disk.
_SMOOTHING = 0.1


class LoopShare:
    __slots__ = ("_gap_factor", "_next_at", "_rest_s", "_slow_s", "_typical_s")

    def __init__(self, share: float, slow_s: float = 0.004, rest_s: float = 10.0) -> None:
        """At most `share` of the loop's time (0 < share <= 1; 0: never on the loop). Commits
        typically slower than `slow_s` keep them off the loop for `rest_s`."""
        self._gap_factor = (1 - share) / share if share > 0 else 0.0
        self._next_at = float("-inf") if share > 0 else float("inf")
        self._slow_s = slow_s
        self._rest_s = rest_s
        self._typical_s = 0.0

    def allows(self, now: float) -> bool:
        return now >= self._next_at

    def spent(self, started: float, ended: float) -> None:
        """Account for a commit made on the loop from `started` to `ended` (a clock in seconds)."""
        took = ended - started
        self._typical_s += _SMOOTHING * (took - self._typical_s)
        if self._typical_s >= self._slow_s:
            self._next_at = ended + self._rest_s
        else:
            self._next_at = ended + took * self._gap_factor
