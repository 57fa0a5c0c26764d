"""Real storage faults for the fault tests: a full disk, files no one may write, a lock held by
another program, a PostgreSQL database that refuses connections, turns read-only, loses its
tables or disappears. Nothing here imitates the server's code: each fault is made in the file
system or the database, as an operator or an accident would make it.

The SQLite faults need a file system of their own (a small ext4 image mounted on a loop device:
root, as the tests run here, ignores file permissions, but not a full disk nor an immutable file).
"""

from __future__ import annotations

import asyncio
import errno
import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support import postgres


class CannotMount(Exception):
    """This machine does not let the tests mount a file system."""


@contextmanager
def small_filesystem(where: Path, megabytes: int = 24) -> Iterator[Path]:
    """An empty ext4 file system of its own, mounted in `where`/mnt for the duration."""
    image = where / "disk.img"
    mount_point = where / "mnt"
    mount_point.mkdir()
    with image.open("wb") as out:
        out.truncate(megabytes * 1024 * 1024)
    made = subprocess.run(
        ["mkfs.ext4", "-q", "-F", str(image)], capture_output=True, text=True, check=False
    )
    if made.returncode != 0:
        raise CannotMount(f"mkfs.ext4: {made.stderr.strip()}")
    mounted = subprocess.run(
        ["mount", "-o", "loop", str(image), str(mount_point)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        raise CannotMount(f"mount: {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        # Whatever a test left behind: the files writable again, then the file system gone.
        immutable([*list(mount_point.iterdir()), mount_point], False)
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(folder: Path) -> Path:
    """Fill the file system of `folder` to its last block; returns the file that fills it."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    try:
        for chunk in (1024 * 1024, 4096, 512):
            try:
                while True:
                    os.write(fd, b"\0" * chunk)
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
        os.fsync(fd)
    finally:
        os.close(fd)
    return filler


def immutable(paths: list[Path], on: bool) -> None:
    """`chattr +i` (or `-i`): no one may write, root included, until it is lifted."""
    existing = [str(p) for p in paths if p.exists()]
    if existing:
        subprocess.run(["chattr", "+i" if on else "-i", *existing], check=True)


# ---- PostgreSQL ------------------------------------------------------------------------------


def terminate_sessions(admin_url: str, database: str) -> None:
    """Close every session on `database` (what a restart or a failover does to them)."""
    postgres.execute(
        admin_url,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        f"WHERE datname = '{database}' AND pid <> pg_backend_pid()",
    )


def on_database(admin_url: str, database: str) -> str:
    """The admin URL, pointed at `database`."""
    return f"{admin_url.rsplit('/', 1)[0]}/{database}"


def dump(admin_url: str, database: str, into: Path) -> Path:
    """A backup of `database`, as an operator makes one (pg_dump's custom format)."""
    path = into / f"{database}.dump"
    subprocess.run(
        [_tool("pg_dump"), "-Fc", "-f", str(path), on_database(admin_url, database)],
        check=True,
        capture_output=True,
    )
    return path


def restore(admin_url: str, database: str, backup: Path) -> None:
    """Restore `backup` while the server keeps trying its writes, in one transaction, as an
    operator would: adding the foreign keys locks both tables, and a write of the server's in
    between may deadlock with it (PostgreSQL then aborts one of the two; the server tries its write
    again, and so does this restore, whole)."""
    command = [_tool("pg_restore"), "--no-owner", "--single-transaction", "--exit-on-error"]
    for _ in range(3):
        done = subprocess.run(
            [*command, "-d", on_database(admin_url, database), str(backup)],
            capture_output=True,
            text=True,
        )
        if done.returncode == 0 or "deadlock detected" not in done.stderr:
            break
    assert done.returncode == 0, f"pg_restore failed: {done.stderr}"


def _tool(name: str) -> str:
    found = shutil.which(name)
    assert found, f"{name} (Debian's postgresql-client) is needed for the PostgreSQL fault tests"
    return found


class StallingProxy:
    """A TCP relay to the database that can stop passing bytes, as a network that drops every
    packet does (nothing refused, nothing answered), and pass them again, in order, afterwards.

    It runs its own event loop in a thread, so that a test's awaits do not hold it up.
    """

    def __init__(self, target_host: str, target_port: int) -> None:
        self._target = (target_host, target_port)
        self._loop = asyncio.new_event_loop()
        self._open = asyncio.Event()
        self._server: asyncio.Server | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self.port = 0

    def start(self) -> StallingProxy:
        self._thread.start()
        self._call(self._open.set)
        self._server = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._relay, "127.0.0.1", 0), self._loop
        ).result(10)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def stall(self) -> None:
        self._call(self._open.clear)

    def resume(self) -> None:
        self._call(self._open.set)

    def stop(self) -> None:
        async def close() -> None:
            assert self._server is not None
            self._server.close()
            relays = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in relays:
                task.cancel()
            await asyncio.gather(*relays, return_exceptions=True)
            await self._server.wait_closed()

        asyncio.run_coroutine_threadsafe(close(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    def _call(self, function: Callable[[], None]) -> None:
        done = threading.Event()

        def run() -> None:
            function()
            done.set()

        self._loop.call_soon_threadsafe(run)
        done.wait(10)

    async def _relay(
        self, client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter
    ) -> None:
        writers = [client_out]
        try:
            await self._open.wait()  # a connection made while stalled is never answered
            server_in, server_out = await asyncio.open_connection(*self._target)
            writers.append(server_out)
            await asyncio.gather(
                self._pipe(client_in, server_out), self._pipe(server_in, client_out)
            )
        except OSError:
            pass
        finally:
            for writer in writers:
                writer.close()
            await asyncio.gather(*(w.wait_closed() for w in writers), return_exceptions=True)

    async def _pipe(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        try:
            while data := await source.read(65536):
                await self._open.wait()  # held, not lost: passed on when the network is back
                sink.write(data)
                await sink.drain()
        except OSError:
            pass
        finally:
            sink.close()
