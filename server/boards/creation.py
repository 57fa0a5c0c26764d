"""Creating a board: its record, its secrets, and its first layout written through the room."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from pycrdt import Doc, Map

from server.boards.credentials import new_board_id, new_join_code, new_token, token_digest
from server.boards.plain import plain_map
from server.boards.records import BoardRecord, JoinCodeTaken, utc_now
from server.boards.registry import RoomRegistry
from server.boards.room import BoardRoom
from server.boards.templates.library import Template, write_layout
from server.boards.votes import VotingSettings
from server.protocol import DocName

# 31**6 codes: a collision is rare, several in a row means something else is wrong.
_JOIN_CODE_ATTEMPTS = 8


class BoardRecords(Protocol):
    """Where board records are created (the database, in the server)."""

    async def create_board(self, record: BoardRecord) -> None:
        """Raises JoinCodeTaken when another board has the record's join code."""


@dataclass(frozen=True, slots=True)
class CreatedBoard:
    record: BoardRecord
    facilitator_token: str


@dataclass(frozen=True, slots=True)
class BoardSecrets:
    """The three tokens of a board. A workshop's boards share one set: its tokens open each of
    them with the same role (docs/protocol.md section 2.10)."""

    facilitator: str
    participant: str
    observer: str

    @classmethod
    def new(cls) -> BoardSecrets:
        return cls(new_token(), new_token(), new_token())


async def new_board_record(
    store: BoardRecords,
    title: str,
    template_id: str,
    locale: str,
    secrets: BoardSecrets | None = None,
    join_open: bool = True,
) -> CreatedBoard:
    """A stored board with fresh secrets (or the given ones) and no content yet."""
    secrets = secrets or BoardSecrets.new()
    for attempt in range(_JOIN_CODE_ATTEMPTS):
        record = BoardRecord(
            id=new_board_id(),
            title=title,
            template=template_id,
            locale=locale,
            join_code=new_join_code(),
            join_open=join_open,
            facilitator_token_sha256=token_digest(secrets.facilitator),
            participant_token=secrets.participant,
            observer_token=secrets.observer,
            created_at=utc_now(),
        )
        try:
            await store.create_board(record)
            break
        except JoinCodeTaken:
            if attempt == _JOIN_CODE_ATTEMPTS - 1:
                raise
    return CreatedBoard(record=record, facilitator_token=secrets.facilitator)


async def create_board(
    store: BoardRecords,
    registry: RoomRegistry,
    template: Template,
    title: str,
    locale: str,
    parameters: Mapping[str, Sequence[str]] | None = None,
    secrets: BoardSecrets | None = None,
    join_open: bool = True,
    question: str = "",
) -> CreatedBoard:
    """Store the board, then write its layout; returns once the layout is durably stored.
    `question`: what the board's people work on (a workshop table's), shown above the board."""
    created = await new_board_record(store, title, template.id, locale, secrets, join_open)

    def first_layout(doc: Doc[Any]) -> None:
        write_layout(doc, template, title, locale, parameters)
        if question:
            doc.get("meta", type=Map)["question"] = question

    async with registry.borrowed(created.record.id) as room:
        stored = room.edit(DocName.LAYOUT, first_layout)
        if stored is not None:
            await room.durable(stored)
    return created


# What a new board's timer holds (docs/board-schema.md, `timer`).
_IDLE_TIMER: dict[str, object] = {
    "label": "",
    "durationMs": 0,
    "endsAt": None,
    "remainingMs": None,
    "lockOnEnd": False,
}


def start_new_session(layout: Doc[Any], title: str) -> None:
    """A duplicate's layout: the board's description and settings, none of the source's session.

    Kept: `template`, `locale`, `anonymous`, `editOthersNotes`, the vote's `secret` and `budget`,
    zones and unknown keys. Reset: the lock, the vote's state (off, not revealed), the private
    writing phase, who is followed (a participant of the source) and the timer (idle, no label
    nor duration: a copy opened days later showed "Temps écoulé" for the source's round).
    """
    meta = layout.get("meta", type=Map)
    meta["title"] = title
    meta["locked"] = False
    meta["privateWriting"] = False
    meta["follow"] = None
    settings = VotingSettings.from_meta(plain_map(meta).get("voting"))
    meta["voting"] = Map(
        {"state": "off", "secret": settings.secret, "revealed": False, "budget": settings.budget}
    )
    timer = layout.get("timer", type=Map)
    for key, value in _IDLE_TIMER.items():
        timer[key] = value


async def duplicate_board(
    store: BoardRecords,
    registry: RoomRegistry,
    source: BoardRecord,
    source_room: BoardRoom,
    title: str,
    with_notes: bool,
) -> CreatedBoard:
    """A new board (new id, secrets and join code) with the source's layout, and notes if asked.

    Votes and private notes stay with the source: they belong to that workshop's people. The copy
    is for another session, so the source's running session does not come along
    (`start_new_session`).
    """
    layout = source_room.doc(DocName.LAYOUT).get_update()
    notes = source_room.doc(DocName.NOTES).get_update() if with_notes else None
    created = await new_board_record(store, title, source.template, source.locale)
    async with registry.borrowed(created.record.id) as room:
        writes = [
            room.apply(DocName.LAYOUT, layout, None),
            room.edit(DocName.LAYOUT, lambda doc: start_new_session(doc, title)),
        ]
        if notes is not None:
            writes.append(room.apply(DocName.NOTES, notes, None))
        await asyncio.gather(*(room.durable(w) for w in writes if w is not None))
    return created
