"""Heavy reads in a worker process, so that the event loop never waits on the GIL for them.

pycrdt holds the GIL while it applies updates, so a thread does not spare the event loop when a
big board is read (docs/findings.md, pycrdt: Cost). Small jobs run inline: starting the work in
another process costs more than they do.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

Result = TypeVar("Result")

# Stored bytes of a board from which reading it is work for a worker process. Below, reading
# takes a few milliseconds (about 110 ms per MB to build the documents and read them into values).
HEAVY_INPUT_BYTES = 256 * 1024


class Workers:
    """A pool of worker processes, started on first use."""

    def __init__(self, processes: int) -> None:
        self._processes = processes
        self._pool: ProcessPoolExecutor | None = None

    async def run(self, heavy: bool, job: Callable[..., Result], *args: Any) -> Result:
        """`job(*args)` in a worker process when `heavy`, else here and now."""
        if not heavy:
            return job(*args)
        if self._pool is None:
            # spawn: a fresh interpreter, with none of the server's threads, sockets or loop.
            self._pool = ProcessPoolExecutor(
                self._processes, mp_context=multiprocessing.get_context("spawn")
            )
        return await asyncio.get_running_loop().run_in_executor(self._pool, job, *args)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
