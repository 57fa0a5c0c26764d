"""Stopping the server: everything accepted is stored, with or without connected clients."""

from __future__ import annotations

from tests.conftest import create_board
from tests.support.yclient import YClient, join_board


async def test_graceful_stop_with_no_connection_flushes_and_exits_cleanly(own_server) -> None:
    # With no Socket.IO session, engineio's disconnect() would call asyncio.wait([]), which
    # raises: the shutdown must still end cleanly.
    server = own_server()
    create_board(server.url)
    server.stop()
    assert "Traceback" not in server.log(), server.log()
    assert "Application shutdown complete" in server.log()


async def test_graceful_stop_with_a_long_polling_client_is_quick(
    own_server, clients: list[YClient]
) -> None:
    server = own_server()
    board = create_board(server.url)
    client = await join_board(server.url, clients, board, transport="polling")
    await client.add_note("n", "avant l'arrêt")
    server.stop()
    assert "timeout graceful shutdown exceeded" not in server.log()
    assert "Application shutdown complete" in server.log()
