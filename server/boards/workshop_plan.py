"""A workshop's plan as the facilitator sends it (`POST /api/workshops`): read and checked whole
before anything is created, so that a wrong table or round changes nothing.

A workshop groups several boards, one per table and one plenary, behind one join code and one
set of tokens (docs/protocol.md section 2.10).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from server.boards.export.json_format import MAX_BOARD_TITLE
from server.errors import ArdoiseError
from server.protocol import ErrorCode

# A pro-action café or an open forum has five or six tables; a big event a few more.
MAX_TABLES = 30
MAX_ROUNDS = 12
MAX_QUESTION_CHARS = 300
MAX_ROUND_LABEL_CHARS = 120
MAX_ROUND_PROMPT_CHARS = 300
# A round lasts minutes: from one to four hours.
MIN_ROUND_MS = 60_000
MAX_ROUND_MS = 4 * 3600_000

_PLENARY_TITLE = {"fr": "Plénière", "en": "Plenary"}


@dataclass(frozen=True, slots=True)
class BoardPlan:
    """One board of the workshop: a table or the plenary."""

    title: str
    question: str
    template: str
    params: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class RoundPlan:
    label: str
    prompt: str
    duration_ms: int


@dataclass(frozen=True, slots=True)
class WorkshopPlan:
    title: str
    locale: str
    tables: Sequence[BoardPlan]
    plenary: BoardPlan
    rounds: Sequence[RoundPlan]


def _invalid(where: str, what: str) -> ArdoiseError:
    return ArdoiseError(ErrorCode.INVALID, f"{where} {what}")


def _text(raw: Any, where: str, limit: int, required: bool) -> str:
    if raw is None and not required:
        return ""
    if not isinstance(raw, str) or (required and not raw.strip()):
        raise _invalid(where, "must be a non-empty string" if required else "must be a string")
    text = raw.strip()
    if len(text) > limit:
        raise _invalid(where, f"is over {limit} characters")
    return text


def _object(raw: Any, where: str) -> Mapping[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise _invalid(where, "must be an object")
    return raw


def _board(raw: Any, where: str, default_template: str, default_title: str = "") -> BoardPlan:
    entry = _object(raw, where)
    title_raw = entry.get("title")
    if title_raw is None and default_title:
        title_raw = default_title
    template = entry.get("template", default_template)
    if not isinstance(template, str) or not template:
        raise _invalid(f"{where}.template", "must be a template id")
    return BoardPlan(
        title=_text(title_raw, f"{where}.title", MAX_BOARD_TITLE, required=True),
        question=_text(entry.get("question"), f"{where}.question", MAX_QUESTION_CHARS, False),
        template=template,
        params=_object(entry.get("params"), f"{where}.params"),
    )


def _round(raw: Any, where: str) -> RoundPlan:
    entry = _object(raw, where)
    duration = entry.get("durationMs")
    if (
        not isinstance(duration, int)
        or isinstance(duration, bool)
        or not MIN_ROUND_MS <= duration <= MAX_ROUND_MS
    ):
        raise _invalid(
            f"{where}.durationMs",
            f"must be whole milliseconds from {MIN_ROUND_MS} to {MAX_ROUND_MS}",
        )
    return RoundPlan(
        label=_text(entry.get("label"), f"{where}.label", MAX_ROUND_LABEL_CHARS, required=True),
        prompt=_text(entry.get("prompt"), f"{where}.prompt", MAX_ROUND_PROMPT_CHARS, False),
        duration_ms=duration,
    )


def read_plan(body: Mapping[str, Any], locale: str) -> WorkshopPlan:
    """The plan of a request body; ArdoiseError `invalid` naming the first wrong field."""
    title = _text(body.get("title"), "title", MAX_BOARD_TITLE, required=True)
    default_template = body.get("template", "blank")
    tables_raw = body.get("tables")
    if not isinstance(tables_raw, list) or not 1 <= len(tables_raw) <= MAX_TABLES:
        raise _invalid("tables", f"must be a list of 1 to {MAX_TABLES} tables")
    tables = [_board(raw, f"tables[{i}]", default_template) for i, raw in enumerate(tables_raw)]
    plenary = _board(
        body.get("plenary"),
        "plenary",
        "blank",
        default_title=f"{title} — {_PLENARY_TITLE[locale]}"[:MAX_BOARD_TITLE],
    )
    rounds_raw = body.get("rounds", [])
    if not isinstance(rounds_raw, list) or len(rounds_raw) > MAX_ROUNDS:
        raise _invalid("rounds", f"must be a list of at most {MAX_ROUNDS} rounds")
    rounds = [_round(raw, f"rounds[{i}]") for i, raw in enumerate(rounds_raw)]
    return WorkshopPlan(title, locale, tables, plenary, rounds)
