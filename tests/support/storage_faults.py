"""Real storage faults for the fault tests: a full disk, files no one may write, a lock held by
another program, a PostgreSQL database that refuses connections, turns read-only, loses its
tables or disappears. Nothing here imitates the server's code: each fault is made in the file
system or the database, as an operator or an accident would make it.

The SQLite faults need a file system of their own (a small ext4 image mounted on a loop device:
root, as the tests run here, ignores file permissions, but not a full disk nor an immutable file).
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from collections.abc import Iterator
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
    subprocess.run(
        [_tool("pg_restore"), "--no-owner", "-d", on_database(admin_url, database), str(backup)],
        check=True,
        capture_output=True,
    )


def _tool(name: str) -> str:
    found = shutil.which(name)
    assert found, f"{name} (Debian's postgresql-client) is needed for the PostgreSQL fault tests"
    return found
