"""Document shapes a stock client can send that no Ardoise client makes: the board stays whole."""

from __future__ import annotations

from typing import Any

import httpx
from pycrdt import Map, Text

from tests.conftest import create_board
from tests.support.server_process import ServerProcess
from tests.support.waiting import eventually
from tests.support.yclient import YClient, join_board

# Deep enough that a recursive conversion (pycrdt's `to_py()`) exceeds Python's recursion limit.
DEPTH = 1000
FORMATS = ("yeswiki", "markdown", "csv", "json", "pdf", "png")


def nested_note(note_id: str, text: str, author_id: str | None, depth: int = DEPTH):
    """A note whose map holds `depth` maps one inside the other, in one update."""

    def edit(doc: Any) -> None:
        note = Map()
        doc.get("notes", type=Map)[note_id] = note
        note["authorId"] = author_id
        note["text"] = Text(text)
        note["rect"] = [0, 0, 100, 80]
        note["color"] = "yellow"
        inner = note
        for _ in range(depth):
            child = Map()
            inner["child"] = child
            inner = child

    return edit


def set_private_writing(on: bool):
    def edit(doc: Any) -> None:
        doc.get("meta", type=Map)["privateWriting"] = on

    return edit


def board_texts(url: str, board: dict[str, Any]) -> set[str]:
    headers = {"Authorization": f"Bearer {board['tokens']['facilitator']}"}
    response = httpx.get(f"{url}/api/boards/{board['id']}", headers=headers, timeout=10)
    assert response.status_code == 200, response.text
    return {note["text"] for note in response.json()["notes"]}


def nested_zone(zone_id: str, depth: int = DEPTH):
    """A zone whose map holds `depth` maps one inside the other (the layout is not judged item by
    item: only facilitators write it)."""

    def edit(doc: Any) -> None:
        zone = Map()
        doc.get("zones", type=Map)[zone_id] = zone
        zone["title"] = "Au fond"
        zone["rect"] = [0, 0, 400, 300]
        inner = zone
        for _ in range(depth):
            child = Map()
            inner["child"] = child
            inner = child

    return edit


def refused(ack: Any, code: str) -> None:
    assert ack["ok"] is False and ack["error"]["code"] == code, ack


async def test_a_deeply_nested_note_is_refused_and_the_board_stays_whole(
    server: ServerProcess, clients: list[YClient]
) -> None:
    # Regression: such a note was stored, then GET /api/boards/{id} and every export answered 500.
    board = create_board(server.url)
    attacker = await join_board(server.url, clients, board, "participant")
    refused(
        await attacker.write("notes", nested_note("deep", "tout au fond", attacker.me)), "invalid"
    )
    await attacker.resync("notes")
    assert await attacker.add_note("plain", "une idée simple") == {"ok": True}
    assert board_texts(server.url, board) == {"une idée simple"}


async def test_deep_values_the_server_does_not_judge_leave_the_board_readable_and_exportable(
    server: ServerProcess, clients: list[YClient]
) -> None:
    """What a facilitator writes in the layout (and boards stored before the limits) is read
    without recursion: the board still reads and exports."""
    board = create_board(server.url)
    facilitator = await join_board(server.url, clients, board, "facilitator")
    assert await facilitator.write("layout", nested_zone("deep")) == {"ok": True}
    assert await facilitator.add_note("plain", "une idée simple") == {"ok": True}
    assert board_texts(server.url, board) == {"une idée simple"}
    headers = {"Authorization": f"Bearer {board['tokens']['participant']}"}
    for export_format in FORMATS:
        response = httpx.get(
            f"{server.url}/api/boards/{board['id']}/export/{export_format}",
            headers=headers,
            timeout=30,
        )
        assert response.status_code == 200, (export_format, response.text[:200])
        if export_format in ("yeswiki", "markdown", "csv", "json"):
            assert "une idée simple" in response.content.decode("utf-8-sig")


async def test_a_deeply_nested_private_note_does_not_stop_the_end_of_private_writing(
    server: ServerProcess, clients: list[YClient]
) -> None:
    # Regression: written to `private`, such a note left the facilitator's write that ends the
    # phase unanswered, so the phase could not end for anyone.
    board = create_board(server.url)
    facilitator = await join_board(server.url, clients, board, "facilitator")
    alice = await join_board(server.url, clients, board, "participant")
    await alice.sync_private()
    assert await facilitator.write("layout", set_private_writing(True)) == {"ok": True}
    await eventually(lambda: alice.meta().get("privateWriting") is True)
    refused(
        await alice.write("private", nested_note("deep", "pensée profonde", alice.me)), "invalid"
    )
    await alice.resync("private")
    assert await alice.write(
        "private", nested_note("kept", "pensée simple", alice.me, depth=2)
    ) == {"ok": True}
    assert await facilitator.write("layout", set_private_writing(False)) == {"ok": True}
    assert board_texts(server.url, board) == {"pensée simple"}
