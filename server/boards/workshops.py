"""Creating a workshop: its boards (one per table, one plenary) sharing one set of tokens, and
its record with the one join code (docs/protocol.md section 2.10)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from server.boards.creation import BoardRecords, BoardSecrets, CreatedBoard, create_board
from server.boards.credentials import new_board_id, new_join_code, token_digest
from server.boards.records import JoinCodeTaken, utc_now
from server.boards.registry import RoomRegistry
from server.boards.templates.library import Template, parameter_values
from server.boards.workshop_plan import BoardPlan, RoundPlan, WorkshopPlan
from server.errors import ArdoiseError
from server.protocol import ErrorCode

_JOIN_CODE_ATTEMPTS = 8

TABLE = "table"
PLENARY = "plenary"


@dataclass(frozen=True, slots=True)
class WorkshopRecord:
    id: str
    title: str
    locale: str
    join_code: str
    join_open: bool
    facilitator_token_sha256: str
    participant_token: str
    observer_token: str
    rounds: tuple[RoundPlan, ...]
    created_at: datetime


@dataclass(frozen=True, slots=True)
class WorkshopBoard:
    """One of a workshop's boards, in its order: the tables, then the plenary."""

    board_id: str
    kind: str  # TABLE or PLENARY
    position: int
    title: str
    question: str


class WorkshopRecords(Protocol):
    """Where workshop records are created (the database, in the server)."""

    async def create_workshop(
        self, record: WorkshopRecord, boards: Sequence[WorkshopBoard]
    ) -> None:
        """Raises JoinCodeTaken when a workshop or a board has the record's join code: one space
        of codes, so that a lookup finds one thing."""


@dataclass(frozen=True, slots=True)
class CreatedWorkshop:
    record: WorkshopRecord
    facilitator_token: str
    boards: tuple[WorkshopBoard, ...]

    @property
    def tables(self) -> tuple[WorkshopBoard, ...]:
        return tuple(b for b in self.boards if b.kind == TABLE)

    @property
    def plenary(self) -> WorkshopBoard:
        return next(b for b in self.boards if b.kind == PLENARY)


FindTemplate = Callable[[str], Awaitable[Template | None]]


async def _checked(
    find: FindTemplate, plan: BoardPlan, where: str, locale: str
) -> tuple[Template, dict[str, tuple[str, ...]]]:
    template = await find(plan.template)
    if template is None:
        raise ArdoiseError(
            ErrorCode.INVALID, f"{where}.template: unknown template {plan.template[:40]!r}"
        )
    try:
        return template, parameter_values(template, plan.params, locale)
    except ArdoiseError as exc:
        raise ArdoiseError(exc.code, f"{where}.params: {exc.message}") from None


async def create_workshop(
    board_store: BoardRecords,
    store: WorkshopRecords,
    registry: RoomRegistry,
    find: FindTemplate,
    plan: WorkshopPlan,
) -> CreatedWorkshop:
    """Every template and parameter checked first (nothing is created when one is wrong), then
    the boards, then the workshop's record; returns once every board's layout is stored."""
    planned = [(plan_, f"tables[{i}]", TABLE) for i, plan_ in enumerate(plan.tables)]
    planned.append((plan.plenary, "plenary", PLENARY))
    checked = [await _checked(find, p, where, plan.locale) for p, where, _ in planned]
    secrets = BoardSecrets.new()
    boards: list[WorkshopBoard] = []
    for position, ((board_plan, _, kind), (template, values)) in enumerate(
        zip(planned, checked, strict=True)
    ):
        # Each table's own join code stays closed: the workshop's code is the one door.
        created: CreatedBoard = await create_board(
            board_store,
            registry,
            template,
            board_plan.title,
            plan.locale,
            values,
            secrets=secrets,
            join_open=False,
            question=board_plan.question,
        )
        boards.append(
            WorkshopBoard(created.record.id, kind, position, board_plan.title, board_plan.question)
        )
    for attempt in range(_JOIN_CODE_ATTEMPTS):
        record = WorkshopRecord(
            id=new_board_id(),
            title=plan.title,
            locale=plan.locale,
            join_code=new_join_code(),
            join_open=True,
            facilitator_token_sha256=token_digest(secrets.facilitator),
            participant_token=secrets.participant,
            observer_token=secrets.observer,
            rounds=tuple(plan.rounds),
            created_at=utc_now(),
        )
        try:
            await store.create_workshop(record, boards)
        except JoinCodeTaken:
            if attempt == _JOIN_CODE_ATTEMPTS - 1:
                raise
            continue
        return CreatedWorkshop(record, secrets.facilitator, tuple(boards))
    raise AssertionError("unreachable: the last attempt raises")
