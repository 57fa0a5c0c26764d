"""Storage faults, made for real (tests/support/storage_faults.py), with the real server and real
clients: writes are answered `unavailable` (never a false acknowledgement, nothing relayed that was
not stored), `/healthz` names the fault, joins and board creations fail fast with the same code,
and when storage returns the server recovers by itself, with every acknowledged edit stored
(docs/protocol.md sections 2.7 and 4).
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pycrdt import Doc, Map, Text

from server.protocol import encode_update
from tests.conftest import (
    POSTGRES_ADMIN_URL,
    REQUIRE_SERVICES,
    create_board,
    fresh_postgres_database,
)
from tests.support import postgres
from tests.support.hostile_images import photo
from tests.support.server_process import SHARED_SERVER_ENV, ServerProcess
from tests.support.storage_faults import (
    CannotMount,
    StallingProxy,
    dump,
    fill,
    immutable,
    restore,
    small_filesystem,
    terminate_sessions,
)
from tests.support.waiting import eventually
from tests.support.yclient import ConnectRefused, YClient, join_board

OK = {"ok": True}
# The server's own bound on a database wait, shortened so that the tests wait less.
SERVER_ENV = {**SHARED_SERVER_ENV, "ARDOISE_STORAGE_TIMEOUT_S": "2"}
# What "fails fast" means here: well under a client's patience, far under a hang.
FAST_S = 2.5


def unavailable(answer: Any) -> bool:
    return (
        isinstance(answer, dict)
        and answer.get("ok") is False
        and answer["error"]["code"] == "unavailable"
        and bool(answer["error"]["message"])
    )


async def request(method: str, url: str, **options: Any) -> httpx.Response:
    """An HTTP request in a thread: the clients' heartbeats go on meanwhile (a loop held for
    30 s drops every connection of the test)."""
    return await asyncio.to_thread(httpx.request, method, url, timeout=30, **options)


async def health(url: str) -> httpx.Response:
    return await request("GET", f"{url}/healthz")


async def is_healthy(url: str) -> bool:
    return (await health(url)).status_code == 200


def notes_update(client: YClient, prefix: str, count: int = 1, text_chars: int = 40) -> bytes:
    """One update adding `count` notes to the client's copy (not sent)."""

    def edit(doc: Doc) -> None:
        notes = doc.get("notes", type=Map)
        for i in range(count):
            body = f"{prefix}-{i} " + "x" * text_chars
            notes[f"{prefix}-{i}"] = Map(
                {"text": Text(body), "rect": [10, 10, 160, 100], "authorId": client.me}
            )

    return client.change("notes", edit)


def note_ids(client: YClient) -> set[str]:
    return set(client.notes())


class Outage:
    """One run of a fault against a board being edited: before, during, after."""

    def __init__(self, server: ServerProcess, clients: list[YClient]) -> None:
        self.server = server
        self.clients = clients
        self.board = create_board(server.url)
        # Never joined before the fault: its record is not in the server's memory.
        self.other_board = create_board(server.url)
        self.acked: set[str] = set()
        # Alice's updates not acknowledged during the fault, in order: what her client sends
        # again later.
        self.unacked: list[bytes] = []
        self.refusals = 0

    async def join(self, role: str = "participant", board: dict | None = None) -> YClient:
        return await join_board(
            self.server.url, self.clients, board or self.board, role, {"name": role}
        )

    async def before(self) -> None:
        self.alice = await self.join()
        self.bob = await self.join()
        for i in range(3):
            update = notes_update(self.alice, f"before{i}")
            assert await self.alice.call("notes", encode_update(update)) == OK
            self.acked.add(f"before{i}-0")
        await eventually(lambda: self.acked <= note_ids(self.bob), what="bob has alice's notes")
        assert await is_healthy(self.server.url)

    async def write_until_refused(self, notes_per_write: int = 1, text_chars: int = 40) -> None:
        """Alice writes until a write is answered `unavailable`: storage is then known to fail
        (a full disk may still take a few writes into space SQLite's log already has)."""
        for i in range(60):
            update = notes_update(self.alice, f"during{i}", notes_per_write, text_chars)
            answer = await self.alice.call("notes", encode_update(update), timeout=30)
            if answer == OK:
                self.acked |= set(added_notes(update))
                continue
            assert unavailable(answer), answer
            self.unacked.append(update)
            return
        raise AssertionError("storage never failed")

    async def while_failing(self, fault: str) -> None:
        # A write now is refused at once: not applied, not relayed.
        self.refusals += 1
        update = notes_update(self.alice, f"refused{self.refusals}")
        started = time.monotonic()
        assert unavailable(await self.alice.call("notes", encode_update(update)))
        assert time.monotonic() - started < FAST_S
        # Resent, what the room holds but could not store is not acknowledged either.
        for held in self.unacked:
            assert unavailable(await self.alice.call("notes", encode_update(held)))
        self.unacked.append(update)
        # /healthz says what is wrong.
        answer = await health(self.server.url)
        assert answer.status_code == 503, answer.text
        body = answer.json()
        assert body["ok"] is False and body["status"] == "failing"
        assert body["error"]["code"] == "unavailable"
        assert body["storage"]["fault"] == fault, body
        assert isinstance(body["storage"]["since"], int)
        # Joins fail fast with the same code, on this board and on one not loaded yet.
        for board in (self.board, self.other_board):
            started = time.monotonic()
            with pytest.raises(ConnectRefused) as refused:
                await self.join(board=board)
            assert time.monotonic() - started < FAST_S
            assert refused.value.data["code"] == "unavailable", refused.value.data
        # Board creation too, in the one error shape.
        started = time.monotonic()
        created = await request("POST", f"{self.server.url}/api/boards", json={"title": "T"})
        assert created.status_code == 503, created.text
        assert created.json()["error"]["code"] == "unavailable"
        assert time.monotonic() - started < FAST_S
        # And the other HTTP writes, at once too: notes from a spreadsheet, closing the join
        # code, restoring a version or a deleted note (refused before their ids are looked up),
        # a picture for an image note.
        board_url = f"{self.server.url}/api/boards/{self.board['id']}"
        facilitator = {"Authorization": f"Bearer {self.board['tokens']['facilitator']}"}
        for path, body in (
            ("import/csv", {"content": b"texte\r\nDepuis un tableur\r\n"}),
            ("join-code", {"json": {"open": False}}),
            ("history/1/restore", {}),
            ("trash/1/restore", {}),
            ("images", {"content": photo()}),
        ):
            started = time.monotonic()
            answer = await request("POST", f"{board_url}/{path}", headers=facilitator, **body)
            assert answer.status_code == 503, (path, answer.text)
            assert answer.json()["error"]["code"] == "unavailable"
            assert time.monotonic() - started < FAST_S, path
        await asyncio.sleep(0.3)
        assert f"refused{self.refusals}-0" not in note_ids(self.bob)

    async def after(self) -> None:
        """Storage is back: the server sees it by itself; resent edits are stored; nothing
        acknowledged is lost, across a crash too."""
        await eventually(lambda: is_healthy(self.server.url), 20, "healthz ok again")
        for update in self.unacked:  # what alice's client sends again, in order
            assert await self.alice.call("notes", encode_update(update), timeout=30) == OK
        everything = self.acked | {note for update in self.unacked for note in added_notes(update)}
        assert everything <= note_ids(self.alice)
        await eventually(lambda: everything <= note_ids(self.bob), what="bob has everything")
        assert everything <= note_ids(await self.join())
        created = await request("POST", f"{self.server.url}/api/boards", json={"title": "T"})
        assert created.status_code == 201, created.text
        self.server.kill()  # a crash: only what was stored comes back
        for client in self.clients:
            await client.disconnect()
        self.server.start()
        assert everything <= note_ids(await self.join())


def added_notes(update: bytes) -> list[str]:
    """The note ids an update adds."""
    doc: Doc = Doc()
    doc.apply_update(update)
    return list(doc.get("notes", type=Map).keys())


async def run_outage(
    server: ServerProcess,
    clients: list[YClient],
    fault: str,
    start: Callable[[], None],
    end: Callable[[], None],
    notes_per_write: int = 1,
) -> None:
    outage = Outage(server, clients)
    await outage.before()
    start()
    await outage.write_until_refused(notes_per_write)
    await outage.while_failing(fault)
    end()
    await outage.after()


# ---- SQLite ----------------------------------------------------------------------------------


@pytest.fixture
def sqlite_on_own_disk(tmp_path: Path) -> Iterator[tuple[ServerProcess, Path]]:
    try:
        with small_filesystem(tmp_path) as disk:
            server = ServerProcess(
                disk, f"sqlite+aiosqlite:///{disk / 'ardoise.sqlite3'}", SERVER_ENV
            ).start()
            try:
                yield server, disk
            finally:
                immutable([*list(disk.iterdir()), disk], False)
                server.stop()
    except CannotMount as exc:
        if REQUIRE_SERVICES:
            pytest.fail(f"the fault tests need to mount a file system: {exc}")
        pytest.skip(f"cannot mount a file system here: {exc}")


async def test_sqlite_disk_full(sqlite_on_own_disk, clients: list[YClient]) -> None:
    server, disk = sqlite_on_own_disk
    filler: list[Path] = []
    # Writes of many pages each, so that SQLite's log needs new blocks soon.
    await run_outage(
        server,
        clients,
        "disk_full",
        lambda: filler.append(fill(disk)),
        lambda: filler[0].unlink(),
        notes_per_write=20,
    )


async def test_sqlite_read_only_files(sqlite_on_own_disk, clients: list[YClient]) -> None:
    server, disk = sqlite_on_own_disk
    # The database and its log become unwritable, root included (the shared-memory index is
    # left: it is mapped in memory, and a failed write there is a crash, not an error).
    files = [disk / "ardoise.sqlite3", disk / "ardoise.sqlite3-wal", disk]
    await run_outage(
        server,
        clients,
        "io_error",
        lambda: immutable(files, True),
        lambda: immutable(files, False),
    )


async def test_sqlite_locked_by_another_program(sqlite_on_own_disk, clients: list[YClient]) -> None:
    server, disk = sqlite_on_own_disk
    other = sqlite3.connect(disk / "ardoise.sqlite3", isolation_level=None)

    def lock() -> None:
        other.execute("BEGIN EXCLUSIVE")

    def unlock() -> None:
        other.execute("ROLLBACK")
        other.close()

    await run_outage(server, clients, "locked", lock, unlock)


# ---- PostgreSQL -------------------------------------------------------------------------------


@pytest.fixture
def postgres_server(tmp_path: Path) -> Iterator[tuple[ServerProcess, str]]:
    with fresh_postgres_database("ardoise_faults") as url:
        server = ServerProcess(tmp_path, url, SERVER_ENV).start()
        try:
            yield server, url.rsplit("/", 1)[1]
        finally:
            server.stop()


def admin(statement: str) -> None:
    postgres.execute(POSTGRES_ADMIN_URL, statement)


async def test_postgres_refuses_connections(postgres_server, clients: list[YClient]) -> None:
    server, name = postgres_server

    def refuse() -> None:
        admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        terminate_sessions(POSTGRES_ADMIN_URL, name)

    def accept() -> None:
        admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')

    outage = Outage(server, clients)
    await outage.before()
    refuse()
    # Before any write meets the fault: a join answers `unavailable` at once, and says so.
    started = time.monotonic()
    with pytest.raises(ConnectRefused) as refused:
        await outage.join(board=outage.other_board)
    assert refused.value.data["code"] == "unavailable"
    assert time.monotonic() - started < FAST_S
    await outage.write_until_refused()
    await outage.while_failing("unreachable")
    accept()
    await outage.after()


async def test_postgres_turns_read_only(postgres_server, clients: list[YClient]) -> None:
    server, name = postgres_server

    def read_only() -> None:
        admin(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
        terminate_sessions(POSTGRES_ADMIN_URL, name)

    def writable() -> None:
        # The sessions the server opened meanwhile stay read-only: it must open new ones.
        admin(f'ALTER DATABASE "{name}" RESET default_transaction_read_only')

    await run_outage(server, clients, "read_only", read_only, writable)


async def test_postgres_tables_dropped_then_restored(
    postgres_server, clients: list[YClient], tmp_path: Path
) -> None:
    server, name = postgres_server
    db_admin = f"{POSTGRES_ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    backups: list[Path] = []

    def drop_tables() -> None:
        backups.append(dump(POSTGRES_ADMIN_URL, name, tmp_path))
        postgres.execute(db_admin, "DROP SCHEMA public CASCADE")
        postgres.execute(db_admin, "CREATE SCHEMA public")

    await run_outage(
        server,
        clients,
        "no_tables",
        drop_tables,
        lambda: restore(POSTGRES_ADMIN_URL, name, backups[0]),
    )


async def test_postgres_database_dropped_comes_back_empty_then_restored(
    postgres_server, clients: list[YClient], tmp_path: Path
) -> None:
    server, name = postgres_server
    outage = Outage(server, clients)
    await outage.before()
    backup = dump(POSTGRES_ADMIN_URL, name, tmp_path)
    admin(f'DROP DATABASE "{name}" WITH (FORCE)')
    await outage.write_until_refused()
    await outage.while_failing("unreachable")
    # The database is back, empty: /healthz says so, and writes are still refused.
    admin(f'CREATE DATABASE "{name}"')

    async def says_no_tables() -> bool:
        answer = await health(server.url)
        return answer.status_code == 503 and answer.json()["storage"]["fault"] == "no_tables"

    await eventually(says_no_tables, 15, "healthz: the database has no tables")
    await outage.while_failing("no_tables")
    restore(POSTGRES_ADMIN_URL, name, backup)
    await outage.after()


async def test_postgres_stops_answering(tmp_path: Path, clients: list[YClient]) -> None:
    """The database's host drops every packet: nothing is refused, nothing answered. Every wait
    is bounded (ARDOISE_STORAGE_TIMEOUT_S), so joins and writes are answered all the same."""
    with fresh_postgres_database("ardoise_faults") as url:
        proxy = StallingProxy("127.0.0.1", 5432).start()
        via_proxy = url.replace("@127.0.0.1:5432/", f"@127.0.0.1:{proxy.port}/")
        assert via_proxy != url
        server = ServerProcess(
            tmp_path, via_proxy, {**SERVER_ENV, "ARDOISE_STORAGE_TIMEOUT_S": "1"}
        ).start()
        try:
            outage = Outage(server, clients)
            await outage.before()
            proxy.stall()
            # Nothing known yet: a join waits for the database one second at most.
            started = time.monotonic()
            with pytest.raises(ConnectRefused) as refused:
                await outage.join(board=outage.other_board)
            assert refused.value.data["code"] == "unavailable"
            assert time.monotonic() - started < FAST_S
            proxy.resume()
            await eventually(lambda: is_healthy(server.url), 20, "healthz ok")
            # Again, a write first: its commit waits at most a statement's bound (6 s here) and
            # a connection's (1 s), then it is answered.
            proxy.stall()
            started = time.monotonic()
            await outage.write_until_refused()
            assert time.monotonic() - started < 12
            await outage.while_failing("unreachable")
            proxy.resume()
            await outage.after()
        finally:
            server.stop()
            proxy.stop()


async def test_a_server_stopped_while_storage_fails_stops_within_seconds(
    postgres_server, clients: list[YClient]
) -> None:
    """What it holds unstored it tries a few seconds more, then gives up: never acknowledged,
    those edits come back from the clients that hold them, once storage does."""
    server, name = postgres_server
    outage = Outage(server, clients)
    await outage.before()
    admin(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
    terminate_sessions(POSTGRES_ADMIN_URL, name)
    await outage.write_until_refused()
    started = time.monotonic()
    server.stop()  # SIGTERM; killed after 15 s
    assert time.monotonic() - started < 10
    assert "were never stored" in server.log()
    admin(f'ALTER DATABASE "{name}" RESET default_transaction_read_only')
    server.start()
    alice = outage.alice
    alice.fresh_sio()
    alice.url = server.url
    await alice.connect(outage.board["id"], outage.board["tokens"]["participant"], {"name": "a"})
    await eventually(lambda: all(ack.done() for ack in alice.step2_acks), what="step 2 acks")
    assert all(ack.result() == OK for ack in alice.step2_acks)
    expected = outage.acked | {n for update in outage.unacked for n in added_notes(update)}
    assert expected <= note_ids(await outage.join())
