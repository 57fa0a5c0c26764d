"""IdentityKeyStore: each board's key for signing participants' credentials, made on first use.

Every process serving the board (several of them share one PostgreSQL database in Redis mode)
reads the same key from the database, so a credential issued by one is accepted by the others. A
key never changes, so it is read once per process and kept; a burst of connections to a board
shares one read (RecordCache).
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from server.storage.record_cache import RecordCache
from server.storage.tables import identity_keys

KEY_BYTES = 32
# A key never changes; the time bound only lets a process forget boards nobody opens any more.
_KEY_TTL_S = 3600.0
_MAX_CACHED_KEYS = 10_000


class IdentityKeyStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._keys: RecordCache[bytes] = RecordCache(
            self._read_or_make, _KEY_TTL_S, _MAX_CACHED_KEYS
        )

    async def key(self, board_id: str) -> bytes | None:
        """The board's key (made now if it has none yet); None if the board does not exist."""
        return await self._keys.get(board_id)

    async def _read(self, board_id: str) -> bytes | None:
        async with self._engine.connect() as conn:
            query = select(identity_keys.c.key).where(identity_keys.c.board_id == board_id)
            value = (await conn.execute(query)).scalar()
        return None if value is None else bytes(value)

    async def _read_or_make(self, board_id: str) -> bytes | None:
        existing = await self._read(board_id)
        if existing is not None:
            return existing
        key = secrets.token_bytes(KEY_BYTES)
        try:
            async with self._engine.begin() as conn:
                await conn.execute(
                    insert(identity_keys).values(
                        board_id=board_id, key=key, created_at=datetime.now(UTC)
                    )
                )
        except IntegrityError:
            # Another process made it first (its key wins), or the board was deleted (None).
            return await self._read(board_id)
        return key
