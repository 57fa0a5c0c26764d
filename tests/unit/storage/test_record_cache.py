"""RecordCache: one read for a burst of lookups, kept for its time, forgotten when it changes."""

from __future__ import annotations

import asyncio

import pytest

from server.storage.record_cache import RecordCache


class Reader:
    """A database stand-in: counts reads; each read waits until `release` is set."""

    def __init__(self, records: dict[str, str]) -> None:
        self.records = records
        self.reads: list[str] = []
        self.release = asyncio.Event()
        self.release.set()
        self.fail = False

    async def read(self, key: str) -> str | None:
        self.reads.append(key)
        await self.release.wait()
        if self.fail:
            raise OSError("database unreachable")
        return self.records.get(key)


async def test_a_burst_of_lookups_makes_one_read_and_all_get_the_record() -> None:
    reader = Reader({"b1": "board one"})
    reader.release.clear()
    cache = RecordCache(reader.read, ttl_s=60, max_entries=10)
    lookups = [asyncio.create_task(cache.get("b1")) for _ in range(200)]
    await asyncio.sleep(0)
    reader.release.set()
    assert await asyncio.gather(*lookups) == ["board one"] * 200
    assert reader.reads == ["b1"]
    assert await cache.get("b1") == "board one"
    assert reader.reads == ["b1"]  # kept


async def test_a_record_is_read_again_once_its_time_is_over() -> None:
    reader = Reader({"b1": "v1"})
    cache = RecordCache(reader.read, ttl_s=0.05, max_entries=10)
    assert await cache.get("b1") == "v1"
    reader.records["b1"] = "v2"
    assert await cache.get("b1") == "v1"
    await asyncio.sleep(0.06)
    assert await cache.get("b1") == "v2"
    assert reader.reads == ["b1", "b1"]


async def test_a_record_forgotten_during_a_read_is_not_put_back_by_that_read() -> None:
    reader = Reader({"b1": "old"})
    reader.release.clear()
    cache = RecordCache(reader.read, ttl_s=60, max_entries=10)
    stale = asyncio.create_task(cache.get("b1"))
    await asyncio.sleep(0)
    reader.records["b1"] = "new"  # the change commits while the read is under way...
    cache.forget("b1")  # ...and is announced after it
    reader.release.set()
    await stale
    assert await cache.get("b1") == "new"


async def test_unknown_records_are_not_kept() -> None:
    reader = Reader({})
    cache = RecordCache(reader.read, ttl_s=60, max_entries=10)
    assert await cache.get("nope") is None
    reader.records["nope"] = "created since"
    assert await cache.get("nope") == "created since"


async def test_one_caller_leaving_does_not_cancel_the_read_of_the_others() -> None:
    reader = Reader({"b1": "board"})
    reader.release.clear()
    cache = RecordCache(reader.read, ttl_s=60, max_entries=10)
    leaving = asyncio.create_task(cache.get("b1"))
    staying = asyncio.create_task(cache.get("b1"))
    await asyncio.sleep(0)
    leaving.cancel()
    reader.release.set()
    assert await staying == "board"
    with pytest.raises(asyncio.CancelledError):
        await leaving


async def test_a_failed_read_reaches_every_caller_and_the_next_lookup_reads_again() -> None:
    reader = Reader({"b1": "board"})
    reader.fail = True
    cache = RecordCache(reader.read, ttl_s=60, max_entries=10)
    results = await asyncio.gather(cache.get("b1"), cache.get("b1"), return_exceptions=True)
    assert all(isinstance(r, OSError) for r in results), results
    reader.fail = False
    assert await cache.get("b1") == "board"
    assert reader.reads == ["b1", "b1"]


async def test_the_cache_never_holds_more_than_its_limit() -> None:
    reader = Reader({f"b{i}": f"board {i}" for i in range(25)})
    cache = RecordCache(reader.read, ttl_s=60, max_entries=10)
    for i in range(25):
        assert await cache.get(f"b{i}") == f"board {i}"
    assert len(cache._records) <= 10
