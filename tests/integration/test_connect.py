"""Joining a board over Socket.IO: who gets in, with which role, and clear refusals (section 3)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import create_board
from tests.support.server_process import ServerProcess
from tests.support.yclient import ConnectRefused, YClient


async def refused(url: str, clients: list[YClient], auth: Any) -> dict[str, Any]:
    client = YClient(url)
    clients.append(client)
    with pytest.raises(ConnectRefused) as caught:
        await client.connect_raw(auth)
    data = caught.value.data
    assert isinstance(data, dict) and set(data) == {"code", "message"} and data["message"], data
    assert caught.value.message == data["code"]
    return dict(data)


async def test_each_token_gives_its_role(server: ServerProcess, clients: list[YClient]) -> None:
    board = create_board(server.url)
    for role in ("facilitator", "participant", "observer"):
        client = YClient(server.url)
        clients.append(client)
        await client.connect(board["id"], board["tokens"][role], {"id": "abc", "name": "A"})
        assert client.welcome["role"] == role


async def test_join_code_is_case_insensitive_and_gives_participant(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = create_board(server.url)
    code = board["joinCode"]
    client = YClient(server.url)
    clients.append(client)
    await client.connect(
        board["id"], f"{code[:3].lower()}-{code[3:].lower()}", {"id": "p1", "name": "Léa"}
    )
    assert client.welcome["role"] == "participant"


async def test_participant_without_id_gets_one(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = create_board(server.url)
    client = YClient(server.url)
    clients.append(client)
    await client.connect(board["id"], board["tokens"]["participant"])
    assert len(client.welcome["participantId"]) >= 12


async def test_unknown_board_is_refused(server: ServerProcess, clients: list[YClient]) -> None:
    board = create_board(server.url)
    data = await refused(
        server.url, clients, {"board": "no-such-board", "token": board["tokens"]["facilitator"]}
    )
    assert data["code"] == "board_not_found"


async def test_wrong_token_is_refused(server: ServerProcess, clients: list[YClient]) -> None:
    board = create_board(server.url)
    other = create_board(server.url)
    for token in ("wrong", other["tokens"]["facilitator"], other["joinCode"]):
        data = await refused(server.url, clients, {"board": board["id"], "token": token})
        assert data["code"] == "unauthorized"


@pytest.mark.parametrize(
    "auth",
    [
        None,
        "token",
        {"board": "x"},
        {"token": "y"},
        {"board": 1, "token": 2},
        {"board": "x", "token": "t" * 500},
        {"board": "x", "token": "y", "participant": "me"},
        {"board": "x", "token": "y", "participant": {"id": "<script>", "name": "A"}},
    ],
    ids=[
        "none",
        "string",
        "no-token",
        "no-board",
        "numbers",
        "long-token",
        "participant-str",
        "bad-id",
    ],
)
async def test_bad_auth_is_a_bad_request(
    server: ServerProcess, clients: list[YClient], auth: Any
) -> None:
    data = await refused(server.url, clients, auth)
    assert data["code"] == "bad_request"


async def test_too_many_connections_are_rate_limited(own_server, clients: list[YClient]) -> None:
    server = own_server(ARDOISE_CONNECTS_PER_MINUTE="3")
    board = create_board(server.url)
    for _ in range(3):
        client = YClient(server.url)
        clients.append(client)
        await client.connect(board["id"], board["tokens"]["participant"], sync=False)
    data = await refused(
        server.url, clients, {"board": board["id"], "token": board["tokens"]["participant"]}
    )
    assert data["code"] == "rate_limited"


async def test_control_characters_are_stripped_from_names(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = create_board(server.url)
    client = YClient(server.url)
    clients.append(client)
    await client.connect(
        board["id"],
        board["tokens"]["participant"],
        {"id": "p", "name": "Al\x00i\x1bce" + "e" * 200},
    )
    assert client.welcome["role"] == "participant"


async def test_wrong_tokens_over_socketio_share_the_http_budget_of_guesses(
    own_server, clients: list[YClient]
) -> None:
    # Guessing a token or a join code by connecting was limited only by the connection budget
    # (1,200 a minute): wrong ones now spend the same per-address budget as the HTTP API's.
    server = own_server(ARDOISE_TOKEN_FAILURES_PER_MINUTE="3")
    board = create_board(server.url)
    right = {"board": board["id"], "token": board["tokens"]["participant"]}
    ok = YClient(server.url)
    clients.append(ok)
    await ok.connect(board["id"], board["tokens"]["participant"], sync=False)  # costs nothing
    for guess in ("AAAAAA", "BBBBBB"):
        data = await refused(server.url, clients, {"board": board["id"], "token": guess})
        assert data["code"] == "unauthorized"
    wrong_board = await refused(server.url, clients, {**right, "board": "no-such-board"})
    assert wrong_board["code"] == "board_not_found"
    # The budget is spent: the next check is refused before the token is looked at, over
    # Socket.IO and over HTTP alike, so that a guesser cannot tell a right token from a wrong one.
    assert (await refused(server.url, clients, right))["code"] == "rate_limited"
    headers = {"Authorization": f"Bearer {board['tokens']['participant']}"}
    response = httpx.get(f"{server.url}/api/boards/{board['id']}", headers=headers, timeout=10)
    assert response.status_code == 429 and response.json()["error"]["code"] == "rate_limited"
