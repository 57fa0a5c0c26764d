"""WorkshopStore: workshops and which boards they hold (docs/protocol.md section 2.10)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from server.boards.records import JoinCodeTaken
from server.boards.workshop_plan import RoundPlan
from server.boards.workshops import WorkshopBoard, WorkshopRecord
from server.storage.tables import boards, workshop_boards, workshops


def _rounds_json(rounds: Sequence[RoundPlan]) -> str:
    return json.dumps(
        [{"label": r.label, "prompt": r.prompt, "durationMs": r.duration_ms} for r in rounds],
        ensure_ascii=False,
    )


def _record(row: Row[Any]) -> WorkshopRecord:
    values = row._asdict()
    rounds = tuple(
        RoundPlan(r["label"], r["prompt"], r["durationMs"]) for r in json.loads(values["rounds"])
    )
    return WorkshopRecord(**{**values, "rounds": rounds})


class WorkshopStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def create_workshop(self, record: WorkshopRecord, held: Sequence[WorkshopBoard]) -> None:
        async with self._engine.begin() as conn:
            clash = select(boards.c.id).where(boards.c.join_code == record.join_code)
            if (await conn.execute(clash)).first() is not None:
                raise JoinCodeTaken(record.join_code)
            try:
                await conn.execute(
                    insert(workshops).values(
                        id=record.id,
                        title=record.title,
                        locale=record.locale,
                        join_code=record.join_code,
                        join_open=record.join_open,
                        facilitator_token_sha256=record.facilitator_token_sha256,
                        participant_token=record.participant_token,
                        observer_token=record.observer_token,
                        rounds=_rounds_json(record.rounds),
                        created_at=record.created_at,
                    )
                )
            except IntegrityError as exc:
                raise JoinCodeTaken(record.join_code) from exc
            await conn.execute(
                insert(workshop_boards),
                [
                    {
                        "workshop_id": record.id,
                        "board_id": board.board_id,
                        "position": board.position,
                        "kind": board.kind,
                        "question": board.question,
                    }
                    for board in held
                ],
            )

    async def get_workshop(self, workshop_id: str) -> WorkshopRecord | None:
        async with self._engine.connect() as conn:
            query = select(workshops).where(workshops.c.id == workshop_id)
            row = (await conn.execute(query)).first()
        return None if row is None else _record(row)

    async def find_by_join_code(self, join_code: str) -> WorkshopRecord | None:
        async with self._engine.connect() as conn:
            query = select(workshops).where(workshops.c.join_code == join_code)
            row = (await conn.execute(query)).first()
        return None if row is None else _record(row)

    async def set_join_open(self, workshop_id: str, is_open: bool) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(
                update(workshops).where(workshops.c.id == workshop_id).values(join_open=is_open)
            )

    async def boards_of(self, workshop_id: str) -> list[WorkshopBoard]:
        """The workshop's boards in order, with their current titles."""
        query = (
            select(
                workshop_boards.c.board_id,
                workshop_boards.c.kind,
                workshop_boards.c.position,
                boards.c.title,
                workshop_boards.c.question,
            )
            .join(boards, boards.c.id == workshop_boards.c.board_id)
            .where(workshop_boards.c.workshop_id == workshop_id)
            .order_by(workshop_boards.c.position)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [WorkshopBoard(*row) for row in rows]

    async def workshop_of(self, board_id: str) -> str | None:
        """The id of the workshop holding a board, if one does."""
        query = select(workshop_boards.c.workshop_id).where(workshop_boards.c.board_id == board_id)
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return None if row is None else str(row[0])
