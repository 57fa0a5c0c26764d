"""WorkerThread: one thread that runs functions one after the other for an event loop.

Why not `loop.run_in_executor` with a one-thread `ThreadPoolExecutor`: the storage hot path hands
every group commit to its thread, and the pool's bookkeeping (a work item, a
`concurrent.futures.Future` with its condition variable, the pool's thread count check, then
asyncio's chaining of that future to its own) costs more than the hand-off itself needs: a queue
put, and one `call_soon_threadsafe` back (BENCHMARKS.md, What changed the figures, 2026-11-30
06:55).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from queue import SimpleQueue
from typing import Any, TypeVar

T = TypeVar("T")

_Job = tuple[Callable[[], Any], asyncio.Future[Any], asyncio.AbstractEventLoop]


class WorkerThread:
    def __init__(self, name: str) -> None:
        self._jobs: SimpleQueue[_Job | None] = SimpleQueue()
        # A daemon: a process that dies without `stop()` must not hang on this thread's wait.
        # The server's shutdown stops it after the last commit (UpdateWriter.close, then
        # BoardStore.close), so nothing handed over is cut short on a normal stop.
        self._thread = threading.Thread(target=self._serve, name=name, daemon=True)
        self._started = False

    async def run(self, function: Callable[[], T]) -> T:
        """`function()` on the thread, after everything asked for before; its result or error.

        Cancelling the caller does not stop a function already handed over (as with executors).
        """
        if not self._started:
            self._started = True
            self._thread.start()
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._jobs.put((function, future, loop))
        return await future

    def stop(self) -> None:
        """Let the thread finish what it was given, then end it (blocks until it has)."""
        if self._started:
            self._jobs.put(None)
            self._thread.join()

    def _serve(self) -> None:
        while (job := self._jobs.get()) is not None:
            function, future, loop = job
            try:
                result = function()
            except BaseException as exc:  # noqa: BLE001  # the caller's to handle, whatever it is
                _hand_back(loop, future, None, exc)
            else:
                _hand_back(loop, future, result, None)


def _hand_back(
    loop: asyncio.AbstractEventLoop,
    future: asyncio.Future[Any],
    result: Any,
    error: BaseException | None,
) -> None:
    # A closed loop raises RuntimeError: nobody is waiting any more.
    with contextlib.suppress(RuntimeError):
        loop.call_soon_threadsafe(_settle, future, result, error)


def _settle(future: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    if future.cancelled():
        return
    if error is None:
        future.set_result(result)
    else:
        future.set_exception(error)
