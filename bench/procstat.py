"""CPU time and memory of a process, read from /proc (Linux), so no extra dependency is needed."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

_TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")
# Linux's process CPU clocks (include/linux/posix-timers.h): the scheduler's runtime, all threads.
_CPUCLOCK_SCHED = 2
_PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")


def cpu_seconds(pid: int) -> float:
    """CPU time of the whole process so far (every thread, live or ended), to the nanosecond.

    Why not /proc/<pid>/stat: it counts in 10-ms ticks, too coarse for a burst of ten joins, which
    it can read as no CPU at all (BENCHMARKS.md, Method). Linux gives every process a CPU-time
    clock, `clock_getcpuclockid(pid)`, whose id is (~pid << 3) | CPUCLOCK_SCHED; Python reads it
    with `clock_gettime`. The ticks remain the fallback (a kernel that refuses the clock).
    """
    try:
        return time.clock_gettime((~pid << 3) | _CPUCLOCK_SCHED)
    except OSError:
        raw = Path(f"/proc/{pid}/stat").read_text()
        # The command name (field 2) may hold spaces; the fields after its closing parenthesis
        # don't.
        fields = raw[raw.rindex(")") + 2 :].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS_PER_SECOND


def rss_bytes(pid: int) -> int:
    """Resident set size: what the process really holds in memory now."""
    pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    return pages * _PAGE_BYTES


def load_average() -> tuple[float, float, float]:
    one, five, fifteen = os.getloadavg()
    return (one, five, fifteen)


async def settle(pids: list[int], idle_fraction: float = 0.05, within_s: float = 30.0) -> float:
    """Wait until the processes are idle (below `idle_fraction` of a core over 0.3 s).

    A server that fell behind keeps delivering after the writers stop; measuring the next phase
    before it is done would charge that backlog to the wrong figure. Returns the seconds waited.
    """
    start = time.monotonic()
    while time.monotonic() - start < within_s:
        before = sum(cpu_seconds(pid) for pid in pids)
        t0 = time.monotonic()
        await asyncio.sleep(0.3)
        used = sum(cpu_seconds(pid) for pid in pids) - before
        if used / (time.monotonic() - t0) < idle_fraction:
            break
    return time.monotonic() - start
