"""BoardStore: the only module that reads and writes board data in the database."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from functools import partial

from pycrdt import merge_updates
from sqlalchemy import Connection, delete, func, insert, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from server.boards.records import (
    PRIVATE_PREFIX,
    BoardRecord,
    JoinCodeTaken,
    PendingUpdate,
    PendingVote,
    StoredBoard,
    StoredDoc,
)
from server.protocol import SHARED_DOCS
from server.settings import SqliteSync
from server.storage.health import StorageHealth
from server.storage.record_cache import RecordCache
from server.storage.tables import boards, snapshot_parts, snapshots, updates, votes
from server.storage.transactions import transactions_for

# Ids per DELETE statement: well under SQLite's limit of bound parameters.
_DELETE_CHUNK = 500


# A board's record is read on every connection: kept this long (another process's change of the
# join code is seen within it), and read once for a burst of connections (RecordCache).
_RECORD_TTL_S = 2.0
_MAX_CACHED_RECORDS = 10_000


class BoardStore:
    def __init__(
        self,
        engine: AsyncEngine,
        loop_commit_share: float = 0.0,
        sqlite_sync: SqliteSync = SqliteSync.FULL,
    ) -> None:
        """`loop_commit_share`: the event loop's time that group commits may take on it, when
        the database allows (`server.storage.transactions`); 0: always one hop. `sqlite_sync`: as
        the engine was created with."""
        self._engine = engine
        # The hot path's writes (update log, votes, compaction): one hop per transaction.
        self._transactions = transactions_for(engine, loop_commit_share, sqlite_sync)
        self._records: RecordCache[BoardRecord] = RecordCache(
            self._read_board, _RECORD_TTL_S, _MAX_CACHED_RECORDS
        )
        # Whether storage is known to be failing: reported by whoever meets an error.
        self.health = StorageHealth()

    @property
    def engine(self) -> AsyncEngine:
        return self._engine

    async def close(self) -> None:
        await self._transactions.close()

    async def create_board(self, record: BoardRecord) -> None:
        try:
            async with self._engine.begin() as conn:
                await conn.execute(insert(boards).values(**_record_values(record)))
        except IntegrityError as exc:
            raise JoinCodeTaken(record.join_code) from exc

    async def get_board(self, board_id: str) -> BoardRecord | None:
        return await self._records.get(board_id)

    async def _read_board(self, board_id: str) -> BoardRecord | None:
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(boards).where(boards.c.id == board_id))).first()
        return None if row is None else BoardRecord(**row._asdict())

    async def find_by_join_code(self, join_code: str) -> BoardRecord | None:
        async with self._engine.connect() as conn:
            query = select(boards).where(boards.c.join_code == join_code)
            row = (await conn.execute(query)).first()
        return None if row is None else BoardRecord(**row._asdict())

    async def set_join_open(self, board_id: str, is_open: bool) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(
                update(boards).where(boards.c.id == board_id).values(join_open=is_open)
            )
        # After the commit: a read that began before it must not be kept.
        self._records.forget(board_id)

    async def load_board(self, board_id: str) -> StoredBoard:
        """What a room is loaded from: the shared documents, the private ones, the votes."""
        shared = await self._load_docs(board_id, [doc_name.value for doc_name in SHARED_DOCS])
        return StoredBoard(
            shared=shared,
            private=await self.load_private_docs(board_id),
            votes=await self.load_votes(board_id),
        )

    async def load_shared_board(self, board_id: str) -> StoredBoard:
        """What reading a board needs: its shared documents and its votes (no private ones)."""
        shared = await self._load_docs(board_id, [doc_name.value for doc_name in SHARED_DOCS])
        for doc_name in SHARED_DOCS:
            shared.setdefault(doc_name.value, StoredDoc(snapshot=None, updates=[], last_id=0))
        return StoredBoard(shared=shared, private={}, votes=await self.load_votes(board_id))

    async def load_doc(self, board_id: str, doc_key: str) -> StoredDoc:
        loaded = await self._load_docs(board_id, [doc_key])
        return loaded.get(doc_key, StoredDoc(snapshot=None, updates=[], last_id=0))

    async def load_private_docs(self, board_id: str) -> dict[str, StoredDoc]:
        """Every participant's private document of the board, by participant id."""
        async with self._engine.connect() as conn:
            doc_keys = set(
                (
                    await conn.execute(
                        select(updates.c.doc)
                        .where(updates.c.board_id == board_id)
                        .where(updates.c.doc.startswith(PRIVATE_PREFIX))
                        .distinct()
                    )
                ).scalars()
            )
            for table in (snapshots, snapshot_parts):
                doc_keys |= set(
                    (
                        await conn.execute(
                            select(table.c.doc)
                            .where(table.c.board_id == board_id)
                            .where(table.c.doc.startswith(PRIVATE_PREFIX))
                            .distinct()
                        )
                    ).scalars()
                )
        loaded = await self._load_docs(board_id, sorted(doc_keys))
        return {doc_key.removeprefix(PRIVATE_PREFIX): stored for doc_key, stored in loaded.items()}

    async def _load_docs(self, board_id: str, doc_keys: list[str]) -> dict[str, StoredDoc]:
        """The stored form of each document, by doc key."""
        result: dict[str, StoredDoc] = {}
        async with self._engine.connect() as conn:
            for doc_key in doc_keys:
                snap = (
                    await conn.execute(
                        select(snapshots.c.data, snapshots.c.covered_id).where(
                            snapshots.c.board_id == board_id, snapshots.c.doc == doc_key
                        )
                    )
                ).first()
                parts = (
                    await conn.execute(
                        select(snapshot_parts.c.data)
                        .where(
                            snapshot_parts.c.board_id == board_id,
                            snapshot_parts.c.doc == doc_key,
                        )
                        .order_by(snapshot_parts.c.id)
                    )
                ).scalars()
                rows = (
                    await conn.execute(
                        select(updates.c.id, updates.c.data)
                        .where(updates.c.board_id == board_id, updates.c.doc == doc_key)
                        .order_by(updates.c.id)
                    )
                ).all()
                last_id = rows[-1].id if rows else (snap.covered_id if snap else 0)
                result[doc_key] = StoredDoc(
                    snapshot=None if snap is None else bytes(snap.data),
                    updates=[bytes(row.data) for row in rows],
                    last_id=last_id,
                    ids=[row.id for row in rows],
                    parts=[bytes(part) for part in parts],
                )
        return result

    async def load_votes(self, board_id: str) -> dict[str, dict[str, int]]:
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(votes.c.participant_id, votes.c.note_id, votes.c.count).where(
                    votes.c.board_id == board_id
                )
            )
            counts: dict[str, dict[str, int]] = {}
            # By position: `row.count` would be the tuple method, not the column.
            for participant_id, note_id, count in rows:
                counts.setdefault(participant_id, {})[note_id] = count
        return counts

    async def commit(
        self, batch: Sequence[PendingUpdate], vote_changes: Sequence[PendingVote] = ()
    ) -> list[int]:
        """Store updates and vote changes in one transaction (group commit).

        Returns the log ids of the updates. Vote changes are applied in order, so the last
        change of a (participant, note) wins.
        """

        return await self._transactions.run(partial(_commit_body, batch, vote_changes))

    def commit_now(
        self, batch: Sequence[PendingUpdate], vote_changes: Sequence[PendingVote] = ()
    ) -> list[int] | None:
        """`commit`, done before returning, on the event loop; or None when it could not be
        done so (nothing stored: the caller then uses `commit`)."""
        done = self._transactions.run_now(partial(_commit_body, batch, vote_changes))
        return None if done is None else done[0]

    async def compact(
        self, board_id: str, doc_key: str, snapshot: bytes, row_ids: list[int], merge: bool
    ) -> None:
        """Store `snapshot` and delete the log rows `row_ids`, atomically.

        The caller guarantees that `snapshot` contains every one of those rows. Rows are named
        one by one, never "up to an id": with several processes writing, a row with a smaller id
        may hold a change this process has not received yet. With `merge`, the snapshot joins the
        stored one instead of replacing it, for the same reason, and the document's parts stay;
        without, the snapshot holds the whole document, and its parts go too.
        """

        def body(conn: Connection) -> None:
            if conn.dialect.name == "sqlite":
                # SQLite has no FOR UPDATE, and its Python driver begins a transaction only at
                # the first write: the read below would happen outside the transaction, and a
                # snapshot another process wrote meanwhile would be overwritten, although that
                # process had deleted the log rows it holds: acknowledged notes lost
                # (docs/findings.md). The write lock first, then the read.
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            where = (snapshots.c.board_id == board_id) & (snapshots.c.doc == doc_key)
            existing = conn.execute(select(snapshots.c.data).where(where).with_for_update()).first()
            covered_id = max(row_ids, default=0)
            if existing is None:
                conn.execute(
                    insert(snapshots).values(
                        board_id=board_id, doc=doc_key, data=snapshot, covered_id=covered_id
                    )
                )
            else:
                data = merge_updates(bytes(existing.data), snapshot) if merge else snapshot
                conn.execute(
                    update(snapshots).where(where).values(data=data, covered_id=covered_id)
                )
            if not merge:
                conn.execute(
                    delete(snapshot_parts).where(
                        (snapshot_parts.c.board_id == board_id) & (snapshot_parts.c.doc == doc_key)
                    )
                )
            _delete_rows(conn, row_ids)

        await self._transactions.run(body)

    async def compact_rows(self, board_id: str, doc_key: str, row_ids: list[int]) -> int:
        """Merge the log rows `row_ids` (in id order) into one snapshot part, atomically; returns
        the part's size (0: nothing done, the rows were gone).

        A big document's compaction: the rows are merged as they are (`merge_updates`, bounded by
        how many are given), the document is not encoded whole, and loading it applies one
        bounded part at a time (server/boards/doc_state.py).
        """

        def body(conn: Connection) -> int:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")  # see `compact`
            found = conn.execute(
                select(updates.c.data).where(updates.c.id.in_(row_ids)).order_by(updates.c.id)
            ).scalars()
            data = [bytes(row) for row in found]
            if len(data) != len(row_ids):  # the board was deleted meanwhile
                return 0
            part = data[0] if len(data) == 1 else merge_updates(*data)
            conn.execute(insert(snapshot_parts).values(board_id=board_id, doc=doc_key, data=part))
            _delete_rows(conn, row_ids)
            return len(part)

        return await self._transactions.run(body)

    async def probe(self) -> None:
        """A write that changes nothing, the way the update log is written: raises what a real
        write would meet (no tables, read-only, full disk, locked, unreachable).

        Connections are opened afresh: pooled ones may be sessions the database made read-only,
        or ones it has closed."""
        await self._engine.dispose()
        await self._transactions.run(_probe_body)

    async def check(self) -> None:
        """A read of every table a board needs; raises when the database cannot be read or has
        lost its tables."""
        async with self._engine.connect() as conn:
            for table in (boards, updates, snapshots, snapshot_parts, votes):
                await conn.execute(select(func.count()).select_from(table).where(text("1 = 0")))

    async def forget_connections(self) -> None:
        """After a failure: the next statements open fresh connections."""
        await self._engine.dispose()

    async def count_updates(self, board_id: str, doc_key: str) -> int:
        async with self._engine.connect() as conn:
            query = select(func.count()).where(
                updates.c.board_id == board_id, updates.c.doc == doc_key
            )
            return int((await conn.execute(query)).scalar_one())


# The group commit's insert on an SQLite file, straight through the driver's cursor.
_SQLITE_INSERT_UPDATE = "INSERT INTO updates (board_id, doc, data) VALUES (?, ?, ?)"


def _probe_body(conn: Connection) -> None:
    # Alembic's one-row table: rewriting it writes a page (SQLite) or a row version (PostgreSQL).
    conn.execute(text("UPDATE alembic_version SET version_num = version_num"))
    conn.execute(select(func.count()).select_from(updates).where(text("1 = 0")))


def _delete_rows(conn: Connection, row_ids: list[int]) -> None:
    for start in range(0, len(row_ids), _DELETE_CHUNK):
        chunk = row_ids[start : start + _DELETE_CHUNK]
        conn.execute(delete(updates).where(updates.c.id.in_(chunk)))


def _commit_body(
    batch: Sequence[PendingUpdate], vote_changes: Sequence[PendingVote], conn: Connection
) -> list[int]:
    ids = _insert_updates(conn, batch) if batch else []
    for change in vote_changes:
        _write_vote(conn, change)
    return ids


def _insert_updates(conn: Connection, batch: Sequence[PendingUpdate]) -> list[int]:
    """Append updates to the log; their ids, in order.

    On an SQLite file this runs on the commit thread at every group commit, where SQLAlchemy's
    multi-row INSERT ... RETURNING spends much Python per commit, holding the GIL the event loop
    needs to fan out; the driver's own cursor takes well under half that CPU (BENCHMARKS.md, What
    changed the figures, 2026-11-29 23:15). Its errors are raised as SQLAlchemy's, as the writer
    expects.
    """
    driver = conn.connection.driver_connection
    if isinstance(driver, sqlite3.Connection):
        cursor = driver.cursor()
        ids: list[int] = []
        try:
            for pending in batch:
                cursor.execute(
                    _SQLITE_INSERT_UPDATE, (pending.board_id, pending.doc_key, pending.data)
                )
                ids.append(int(cursor.lastrowid or 0))
        except sqlite3.Error as exc:
            raise DBAPIError.instance(_SQLITE_INSERT_UPDATE, None, exc, sqlite3.Error) from exc
        finally:
            cursor.close()
        return ids
    rows = [{"board_id": u.board_id, "doc": u.doc_key, "data": u.data} for u in batch]
    result = conn.execute(
        insert(updates).returning(updates.c.id, sort_by_parameter_order=True), rows
    )
    return [row.id for row in result]


def _write_vote(conn: Connection, change: PendingVote) -> None:
    this_vote = (
        (votes.c.board_id == change.board_id)
        & (votes.c.participant_id == change.participant_id)
        & (votes.c.note_id == change.note_id)
    )
    conn.execute(delete(votes).where(this_vote))
    if change.count > 0:
        conn.execute(
            insert(votes).values(
                board_id=change.board_id,
                participant_id=change.participant_id,
                note_id=change.note_id,
                count=change.count,
            )
        )


def _record_values(record: BoardRecord) -> dict[str, object]:
    return {
        "id": record.id,
        "title": record.title,
        "template": record.template,
        "locale": record.locale,
        "join_code": record.join_code,
        "join_open": record.join_open,
        "facilitator_token_sha256": record.facilitator_token_sha256,
        "participant_token": record.participant_token,
        "observer_token": record.observer_token,
        "created_at": record.created_at,
    }
