"""ImageStore: the pictures of each board's image notes, bounded in bytes per board."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import UTC, datetime

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from server.boards.image_ids import new_image_id
from server.boards.images import EncodedImage
from server.storage.tables import images


class ImageStore:
    def __init__(self, engine: AsyncEngine, max_board_bytes: int) -> None:
        self._engine = engine
        # What the images of one board may weigh in all: a backup carries them
        # (docs/exports.md), and each one is read whole to be served.
        self.max_board_bytes = max_board_bytes

    async def add(self, board_id: str, image: EncodedImage) -> str | None:
        """Store `image` under a new unguessable id; None when the board has no room left."""
        image_id = new_image_id()
        async with self._engine.begin() as conn:
            used = (
                await conn.execute(
                    select(func.coalesce(func.sum(func.length(images.c.data)), 0)).where(
                        images.c.board_id == board_id
                    )
                )
            ).scalar_one()
            if int(used) + len(image.data) > self.max_board_bytes:
                return None
            await conn.execute(insert(images), [_row(board_id, image_id, image)])
        return image_id

    async def put(self, board_id: str, found: Mapping[str, EncodedImage]) -> None:
        """Store images under the ids they had (a board restored from its backup)."""
        if not found:
            return
        rows = [_row(board_id, image_id, image) for image_id, image in found.items()]
        async with self._engine.begin() as conn:
            await conn.execute(insert(images), rows)

    async def get(self, board_id: str, image_id: str) -> EncodedImage | None:
        async with self._engine.connect() as conn:
            row = (
                await conn.execute(
                    select(
                        images.c.media_type, images.c.data, images.c.width, images.c.height
                    ).where(images.c.board_id == board_id, images.c.id == image_id)
                )
            ).first()
        return None if row is None else EncodedImage(row[0], bytes(row[1]), row[2], row[3])

    async def of_board(
        self, board_id: str, image_ids: Collection[str] | None = None
    ) -> dict[str, EncodedImage]:
        """The board's images (those of `image_ids` only, when given), by id."""
        if image_ids is not None and not image_ids:
            return {}
        query = select(
            images.c.id, images.c.media_type, images.c.data, images.c.width, images.c.height
        ).where(images.c.board_id == board_id)
        if image_ids is not None:
            query = query.where(images.c.id.in_(sorted(image_ids)))
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query.order_by(images.c.created_at, images.c.id))).all()
        return {row[0]: EncodedImage(row[1], bytes(row[2]), row[3], row[4]) for row in rows}

    async def count(self, board_id: str) -> int:
        async with self._engine.connect() as conn:
            query = select(func.count()).where(images.c.board_id == board_id)
            return int((await conn.execute(query)).scalar_one())


def _row(board_id: str, image_id: str, image: EncodedImage) -> dict[str, object]:
    return {
        "board_id": board_id,
        "id": image_id,
        "media_type": image.media_type,
        "data": image.data,
        "width": image.width,
        "height": image.height,
        "created_at": datetime.now(UTC),
    }
