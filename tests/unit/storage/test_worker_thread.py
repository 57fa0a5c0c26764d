"""WorkerThread: functions run one after the other on one thread; results and errors come back."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from server.storage.worker_thread import WorkerThread


async def test_functions_run_in_order_on_one_other_thread_and_return_their_results() -> None:
    worker = WorkerThread("test-worker")
    seen: list[tuple[int, str]] = []

    def job(n: int) -> int:
        time.sleep(0.001 * (5 - n % 5))  # later jobs are quicker: order is not by luck
        seen.append((n, threading.current_thread().name))
        return n * n

    results = await asyncio.gather(*(worker.run(lambda n=n: job(n)) for n in range(20)))
    assert results == [n * n for n in range(20)]
    assert [n for n, _ in seen] == list(range(20))
    assert {name for _, name in seen} == {"test-worker"}
    worker.stop()


async def test_an_error_reaches_its_caller_and_the_thread_goes_on() -> None:
    worker = WorkerThread("test-worker")

    def fail() -> None:
        raise ValueError("bad row")

    with pytest.raises(ValueError, match="bad row"):
        await worker.run(fail)
    assert await worker.run(lambda: "still here") == "still here"
    worker.stop()


async def test_a_caller_that_gives_up_leaves_the_next_one_served() -> None:
    worker = WorkerThread("test-worker")
    release = threading.Event()
    slow = asyncio.ensure_future(worker.run(release.wait))
    await asyncio.sleep(0.01)
    slow.cancel()
    release.set()
    assert await worker.run(lambda: 42) == 42
    assert slow.cancelled()
    worker.stop()


async def test_stop_finishes_what_was_handed_over() -> None:
    worker = WorkerThread("test-worker")
    done: list[int] = []
    pending = [asyncio.ensure_future(worker.run(lambda n=n: done.append(n))) for n in range(5)]
    await asyncio.sleep(0)  # the calls hand their functions over
    worker.stop()
    assert done == list(range(5))
    await asyncio.gather(*pending)


def test_stopping_a_worker_that_never_ran_anything_returns_at_once() -> None:
    WorkerThread("idle").stop()
