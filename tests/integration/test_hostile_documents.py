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


def nested_note(note_id: str, text: str, depth: int = DEPTH):
    """A note whose map holds `depth` maps one inside the other, in one update."""

    def edit(doc: Any) -> None:
        note = Map()
        doc.get("notes", type=Map)[note_id] = note
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


async def test_a_deeply_nested_note_leaves_the_board_readable_and_exportable(
    server: ServerProcess, clients: list[YClient]
) -> None:
    # Regression: such a note made GET /api/boards/{id} and every export answer 500.
    board = create_board(server.url)
    attacker = await join_board(server.url, clients, board, "participant")
    assert await attacker.write("notes", nested_note("deep", "tout au fond")) == {"ok": True}
    assert await attacker.add_note("plain", "une idée simple") == {"ok": True}
    assert board_texts(server.url, board) == {"tout au fond", "une idée simple"}
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
    ack = await alice.write("private", nested_note("deep", "pensée profonde"))
    assert ack == {"ok": True}
    assert await facilitator.write("layout", set_private_writing(False)) == {"ok": True}
    assert "pensée profonde" in board_texts(server.url, board)
