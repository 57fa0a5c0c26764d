"""Links in notes through the real server: a participant's address is a link in the exports that
carry links, and other schemes stay text (docs/board-schema.md, "Links in a note")."""

from __future__ import annotations

import httpx

from tests.conftest import create_board
from tests.integration.test_facilitation import join
from tests.support.server_process import ServerProcess
from tests.support.yclient import YClient
from tests.support.yeswiki_page import read, show

TEXT = 'voir https://example.org/a?b=1&c=2 ou javascript:alert(1) "><a href=x>'


def _export(url: str, board: dict, fmt: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {board['tokens']['observer']}"}
    response = httpx.get(f"{url}/api/boards/{board['id']}/export/{fmt}", headers=headers)
    assert response.status_code == 200, response.text
    return response


async def test_a_participants_address_is_a_link_in_the_exports(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = create_board(server.url, "Liens")
    alice = await join(server.url, clients, board, "participant", "alice")
    assert await alice.add_note("n1", TEXT) == {"ok": True}

    page = _export(server.url, board, "yeswiki").text
    read(show(page))  # only the links the exporter writes (tests/support/yeswiki_page.py)
    assert page.count("<a href=") == 1
    assert '<a href="https://example.org/a?b=1&amp;c=2" target="_blank"' in page
    assert "&lt;a href=x&gt;" in page
    md = _export(server.url, board, "markdown").text
    assert "[https\\://example.org/a?b=1\\&c=2](https://example.org/a?b=1\\&c=2)" in md
    assert "javascript\\:alert(1)" in md
    assert b"/URI (https://example.org/a?b=1&c=2)" in _export(server.url, board, "pdf").content
