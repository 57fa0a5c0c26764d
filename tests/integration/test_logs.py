"""What the server's log says about participants' connections: one line each, no secrets."""

from __future__ import annotations

from tests.conftest import create_board
from tests.support.yclient import YClient, join_board


async def test_a_websocket_connection_is_logged_once_with_its_address(
    own_server, clients: list[YClient]
) -> None:
    server = own_server()
    board = create_board(server.url)
    client = await join_board(server.url, clients, board)
    await client.add_note("n", "bonjour")
    log = server.log()
    accepted = [line for line in log.splitlines() if '"WebSocket /socket.io/' in line]
    assert len(accepted) == 1 and "[accepted]" in accepted[0] and "127.0.0.1:" in accepted[0], log
    # websockets' own line for the same connection repeats it without the address.
    assert "connection open" not in log, log
    assert board["tokens"]["participant"] not in log, log
