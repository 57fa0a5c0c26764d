"""Two server processes on one database and one Redis: a board shared across them loses nothing."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import pytest
import redis
from pycrdt import Map

from tests.conftest import REQUIRE_SERVICES, create_board, database_url_for
from tests.integration.test_durability import log_length
from tests.support.server_process import ServerProcess
from tests.support.waiting import eventually
from tests.support.yclient import YClient, join_board

REDIS_URL = os.environ.get("ARDOISE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture(scope="session")
def redis_url() -> str:
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except (redis.RedisError, OSError) as exc:
        if REQUIRE_SERVICES:
            pytest.fail(f"Redis is required (ARDOISE_REQUIRE_SERVICES=1) but {exc}")
        pytest.skip(f"Redis not available at {REDIS_URL}: {exc}")
    return REDIS_URL


@pytest.fixture
def pair(backend: str, tmp_path: Path, request: pytest.FixtureRequest, redis_url: str):
    """Two processes serving the same boards (as behind a load balancer with sticky sessions)."""
    url = database_url_for(backend, tmp_path, request)
    env = {"ARDOISE_REDIS_URL": redis_url, "ARDOISE_COMPACT_AFTER_UPDATES": "10"}
    procs = [ServerProcess(tmp_path, url, env).start(), ServerProcess(tmp_path, url, env).start()]
    yield procs
    for proc in procs:
        proc.stop()


async def join(url: str, clients: list[YClient], board: dict, role: str, pid: str) -> YClient:
    return await join_board(url, clients, board, role, {"id": pid, "name": pid})


async def test_edits_and_presence_cross_processes(
    pair: list[ServerProcess], clients: list[YClient]
) -> None:
    one, two = pair
    board = create_board(one.url)
    alice = await join(one.url, clients, board, "participant", "alice")
    bob = await join(two.url, clients, board, "participant", "bob")
    await alice.add_note("a", "d'Alice (processus 1)")
    await bob.add_note("b", "de Bob (processus 2)")
    both = {"d'Alice (processus 1)", "de Bob (processus 2)"}
    await eventually(lambda: alice.note_texts() == both and bob.note_texts() == both)
    await alice.send_presence(501, 1, {"name": "Alice"})
    await eventually(lambda: 501 in bob.presence)
    late = await join(two.url, clients, board, "participant", "late")
    await eventually(lambda: 501 in late.presence, what="presence from elsewhere in the handshake")
    await alice.disconnect()
    await eventually(lambda: 501 not in bob.presence)


async def test_votes_and_lock_cross_processes(
    pair: list[ServerProcess], clients: list[YClient]
) -> None:
    one, two = pair
    board = create_board(one.url)
    facilitator = await join(two.url, clients, board, "facilitator", "fac")
    await facilitator.add_note("n", "à voter")
    alice = await join(one.url, clients, board, "participant", "alice")
    voting = Map({"state": "open", "secret": True, "revealed": False, "budget": 3})
    await facilitator.write(
        "layout", lambda d: d.get("meta", type=Map).__setitem__("voting", voting)
    )
    await eventually(lambda: alice.meta().get("voting", {}).get("state") == "open")
    assert await alice.vote("n") == {"ok": True, "remaining": 2}
    await eventually(lambda: facilitator.last_votes().get("tallies") == {"n": 1})
    await facilitator.write("layout", lambda d: d.get("meta", type=Map).__setitem__("locked", True))
    await eventually(lambda: alice.meta().get("locked") is True)
    ack = await alice.add_note("x", "pendant le verrou")
    assert ack["error"]["code"] == "board_locked", ack


async def test_nothing_is_lost_when_both_processes_compact_and_crash(
    pair: list[ServerProcess], clients: list[YClient]
) -> None:
    one, two = pair
    board = create_board(one.url)
    alice = await join(one.url, clients, board, "participant", "alice")
    bob = await join(two.url, clients, board, "participant", "bob")

    async def write(client: YClient, who: str) -> None:
        for i in range(40):
            assert await client.add_note(f"{who}{i}", f"{who} {i}") == {"ok": True}

    await asyncio.gather(write(alice, "a"), write(bob, "b"))
    expected = {f"{w} {i}" for w in "ab" for i in range(40)}
    await eventually(lambda: alice.note_texts() == expected and bob.note_texts() == expected)

    async def compacted() -> bool:
        # 80 notes were logged; each process deletes the rows it holds after snapshotting.
        return await log_length(one.database_url, board["id"]) < 30

    await eventually(compacted, what="both processes compacted their rows")
    for proc in pair:
        proc.kill()
    for client in clients:
        await client.disconnect()
    one.start()
    reader = await join(one.url, clients, board, "observer", "reader")
    assert reader.note_texts() == expected


async def test_private_notes_revealed_from_the_other_process(
    pair: list[ServerProcess], clients: list[YClient]
) -> None:
    one, two = pair
    board = create_board(one.url)
    facilitator = await join(two.url, clients, board, "facilitator", "fac")
    await facilitator.write(
        "layout", lambda d: d.get("meta", type=Map).__setitem__("privateWriting", True)
    )
    alice = await join(one.url, clients, board, "participant", "alice")
    await alice.sync_private()

    def note(doc: Any) -> None:
        from pycrdt import Text

        doc.get("notes", type=Map)["p1"] = Map(
            {"text": Text("secret d'Alice"), "rect": [0, 0, 9, 9], "authorId": alice.me}
        )

    assert await alice.write("private", note) == {"ok": True}
    await facilitator.add_note("marker", "repère")
    await eventually(lambda: "repère" in alice.note_texts())
    assert b"secret d'Alice" not in facilitator.received_bytes()

    # The count of private notes (docs/protocol.md 7.2) reaches a facilitator on the other process.
    def told() -> list[Any]:
        return [args[0] for event, args in facilitator.events if event == "private_count"]

    await eventually(
        lambda: told() == [{"notes": 0}, {"notes": 1}], what="the count, from process 1"
    )
    await facilitator.write(
        "layout", lambda d: d.get("meta", type=Map).__setitem__("privateWriting", False)
    )
    await eventually(
        lambda: (
            "secret d'Alice" in facilitator.note_texts() and "secret d'Alice" in alice.note_texts()
        )
    )
    await eventually(lambda: alice.docs["private"].get("notes", type=Map).to_py() == {})


async def test_an_identity_issued_by_one_process_holds_on_the_other(
    pair: list[ServerProcess], clients: list[YClient]
) -> None:
    one, two = pair
    board = create_board(one.url)
    # Both processes meet the board's first participants at once: they agree on its one key.
    first, second = await asyncio.gather(
        join_board(one.url, clients, board, "participant", {"name": "A"}),
        join_board(two.url, clients, board, "participant", {"name": "B"}),
    )
    for client, elsewhere in ((first, two.url), (second, one.url)):
        assert client.welcome is not None
        credential = client.welcome["credential"]
        again = await join_board(
            elsewhere, clients, board, "participant", {"credential": credential}
        )
        assert again.participant_id == client.participant_id
