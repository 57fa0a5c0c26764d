"""Heavy reads in a worker process, so that the event loop never waits on the GIL for them.

pycrdt holds the GIL while it applies updates, so a thread does not spare the event loop when a
big board is read (docs/findings.md, pycrdt: Cost). Small jobs run inline: starting the work in
another process costs more than they do.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

Result = TypeVar("Result")

# Stored bytes of a board from which reading it is work for a worker process. Below, reading
# takes a few milliseconds (about 110 ms per MB to build the documents and read them into values).
HEAVY_INPUT_BYTES = 256 * 1024


def _end_with_parent(parent: int) -> None:
    """In a worker: exit as soon as the server process is gone, even killed (SIGKILL leaves no
    time to stop the pool), instead of living on with its stderr and memory."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="ardoise-parent-watch", daemon=True).start()


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
                self._processes,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_end_with_parent,
                initargs=(os.getpid(),),
            )
        return await asyncio.get_running_loop().run_in_executor(self._pool, job, *args)

    async def close(self) -> None:
        """Cancel what waits, let a running job end, and wait for the processes to exit."""
        pool, self._pool = self._pool, None
        if pool is not None:
            await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)
