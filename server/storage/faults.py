"""What a database error says about the storage: reached or not, tables or not, writable or not.

Why: a client, a monitor and an operator must be told *why* nothing can be stored (a full disk, a
read-only database, a database that came back without its tables), in words of ours: the text of
a driver's error may quote a board's content or a connection string, so it is never passed on.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.exc import IntegrityError, SQLAlchemyError


class FaultKind(StrEnum):
    """The kinds `/healthz` names (docs/protocol.md section 2.7)."""

    UNREACHABLE = "unreachable"
    NO_TABLES = "no_tables"
    READ_ONLY = "read_only"
    DISK_FULL = "disk_full"
    LOCKED = "locked"
    IO_ERROR = "io_error"
    FAILED = "failed"


_MESSAGES = {
    FaultKind.UNREACHABLE: "the database cannot be reached",
    FaultKind.NO_TABLES: "the database has no tables",
    FaultKind.READ_ONLY: "the database is read-only",
    FaultKind.DISK_FULL: "the disk is full",
    FaultKind.LOCKED: "the database is locked by another program",
    FaultKind.IO_ERROR: "the disk failed to read or write",
    FaultKind.FAILED: "the database failed",
}


@dataclass(frozen=True, slots=True)
class StorageFault:
    kind: FaultKind

    @property
    def message(self) -> str:
        return _MESSAGES[self.kind]


# PostgreSQL's SQLSTATE codes (by class where the whole class means one thing).
_PG_CODES = {
    "42P01": FaultKind.NO_TABLES,  # undefined_table
    "3F000": FaultKind.NO_TABLES,  # invalid_schema_name
    "25006": FaultKind.READ_ONLY,  # read_only_sql_transaction
    "53100": FaultKind.DISK_FULL,  # disk_full
    "55P03": FaultKind.LOCKED,  # lock_not_available
    "3D000": FaultKind.UNREACHABLE,  # invalid_catalog_name: the database does not exist
    "55000": FaultKind.UNREACHABLE,  # e.g. "not currently accepting connections"
    "58030": FaultKind.IO_ERROR,  # io_error
}
_PG_CLASSES = {
    "08": FaultKind.UNREACHABLE,  # connection exception
    "57": FaultKind.UNREACHABLE,  # operator intervention: shut down, terminated, starting
    "28": FaultKind.UNREACHABLE,  # the server refuses our credentials
    "53": FaultKind.DISK_FULL,  # insufficient resources
}
# SQLite's primary result codes, by the name Python gives them.
_SQLITE_NAMES = {
    "SQLITE_FULL": FaultKind.DISK_FULL,
    "SQLITE_READONLY": FaultKind.READ_ONLY,
    "SQLITE_BUSY": FaultKind.LOCKED,
    "SQLITE_LOCKED": FaultKind.LOCKED,
    "SQLITE_IOERR": FaultKind.IO_ERROR,
    "SQLITE_CANTOPEN": FaultKind.UNREACHABLE,
    "SQLITE_PERM": FaultKind.READ_ONLY,
}


def storage_fault(error: BaseException) -> StorageFault | None:
    """The storage fault behind `error`, or None when it says nothing about the storage (a
    broken constraint, an error of ours)."""
    if isinstance(error, IntegrityError):
        return None
    if not isinstance(error, SQLAlchemyError | OSError | TimeoutError | sqlite3.Error):
        return None
    for cause in _chain(error):
        kind = _kind_of(cause)
        if kind is not None:
            return StorageFault(kind)
    if isinstance(error, OSError | TimeoutError):
        return StorageFault(FaultKind.UNREACHABLE)
    return StorageFault(FaultKind.FAILED)


def _chain(error: BaseException) -> list[BaseException]:
    """The error, the driver's error it wraps, and what caused those."""
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [error]
    while todo and len(seen) < 8:
        current = todo.pop(0)
        if current is None or any(current is s for s in seen):
            continue
        seen.append(current)
        todo += [getattr(current, "orig", None), current.__cause__, current.__context__]
    return seen


def _kind_of(error: BaseException) -> FaultKind | None:
    sqlstate = getattr(error, "sqlstate", None)
    if isinstance(sqlstate, str) and len(sqlstate) == 5:
        return _PG_CODES.get(sqlstate) or _PG_CLASSES.get(sqlstate[:2])
    if isinstance(error, sqlite3.Error):
        if "no such table" in str(error):
            return FaultKind.NO_TABLES
        # Extended codes name their primary one first: SQLITE_IOERR_WRITE is an SQLITE_IOERR.
        name = str(getattr(error, "sqlite_errorname", "") or "")
        return _SQLITE_NAMES.get("_".join(name.split("_")[:2]))
    if isinstance(error, ConnectionError | TimeoutError):
        return FaultKind.UNREACHABLE
    return None
