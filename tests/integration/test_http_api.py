"""The HTTP API of docs/protocol.md section 2, and one error shape everywhere."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from pycrdt import Map

from server.boards.credentials import JOIN_CODE_ALPHABET
from tests.conftest import create_board
from tests.support.server_process import ServerProcess
from tests.support.yclient import YClient


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_error(
    response: httpx.Response, status: int, code: str, extra: frozenset[str] = frozenset()
) -> None:
    """The one error shape; `extra`: the fields a documented error adds (docs/protocol.md)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"ok", "error"} and body["ok"] is False, body
    assert set(body["error"]) == {"code", "message", *extra}, body
    assert body["error"]["code"] == code, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]


def test_healthz(server: ServerProcess) -> None:
    response = httpx.get(f"{server.url}/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_templates_are_listed_in_french_by_default_and_english_on_request(
    server: ServerProcess,
) -> None:
    french = httpx.get(f"{server.url}/api/templates").json()
    blank = next(t for t in french if t["id"] == "blank")
    assert blank["name"] == "Tableau vierge"
    assert set(blank) >= {"id", "name", "description", "parameters"}
    english = httpx.get(
        f"{server.url}/api/templates", headers={"Accept-Language": "en-GB,en;q=0.8"}
    ).json()
    assert next(t for t in english if t["id"] == "blank")["name"] == "Blank board"
    assert httpx.get(f"{server.url}/api/templates?locale=en").json()[0]["name"] == "Blank board"


def test_create_board_returns_unguessable_ids_tokens_and_links(server: ServerProcess) -> None:
    board = create_board(server.url, "Séminaire « innovation »", template="blank", locale="fr")
    assert board["title"] == "Séminaire « innovation »"
    assert board["template"] == "blank"
    # 128 random bits at least: 22 URL-safe base64 characters.
    assert re.fullmatch(r"[A-Za-z0-9_-]{22,}", board["id"])
    assert set(board["tokens"]) == {"facilitator", "participant", "observer"}
    assert len(set(board["tokens"].values())) == 3
    assert all(len(t) >= 43 for t in board["tokens"].values())
    assert len(board["joinCode"]) == 6 and set(board["joinCode"]) <= set(JOIN_CODE_ALPHABET)
    assert not set(board["joinCode"]) & set("0O1IL")
    for role, token in board["tokens"].items():
        link = board["links"][role]
        assert link.startswith(server.url) and board["id"] in link
        # The token rides in the fragment: browsers never send it, so it never reaches a log.
        assert link.endswith(f"#token={token}")
    assert board["links"]["join"].endswith(f"/j/{board['joinCode']}")
    other = create_board(server.url)
    assert other["id"] != board["id"] and other["tokens"] != board["tokens"]


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ("not json", 400, "bad_request"),
        ("[1, 2]", 400, "bad_request"),
        ('{"template": "blank"}', 422, "invalid"),
        ('{"title": "   "}', 422, "invalid"),
        ('{"title": 12}', 422, "invalid"),
        ('{"title": "' + "t" * 201 + '"}', 422, "invalid"),
        ('{"title": "ok", "template": "nope"}', 422, "invalid"),
        ('{"title": "ok", "locale": "de"}', 422, "invalid"),
        ('{"title": "ok", "parameters": []}', 422, "invalid"),
        ('{"title": "' + "x" * 70_000 + '"}', 413, "payload_too_large"),
    ],
    ids=[
        "not-json",
        "array",
        "no-title",
        "blank-title",
        "number-title",
        "long-title",
        "unknown-template",
        "unknown-locale",
        "bad-parameters",
        "too-big",
    ],
)
def test_create_board_refuses_bad_input(
    server: ServerProcess, body: str, status: int, code: str
) -> None:
    response = httpx.post(
        f"{server.url}/api/boards", content=body, headers={"content-type": "application/json"}
    )
    assert_error(response, status, code)


async def test_board_as_json_with_derived_zones(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = create_board(server.url)
    facilitator = YClient(server.url)
    clients.append(facilitator)
    await facilitator.connect(
        board["id"], board["tokens"]["facilitator"], {"id": "f", "name": "Fanny"}
    )

    def add_zones(doc: Any) -> None:
        zones = doc.get("zones", type=Map)
        zones["big"] = Map({"title": "Tout", "rect": [0, 0, 1000, 1000], "order": 1})
        zones["small"] = Map({"title": "Coin", "rect": [0, 0, 300, 300], "order": 2})

    assert await facilitator.write("layout", add_zones) == {"ok": True}
    await facilitator.add_note("in-small", "<b>dans le coin</b>", x=50, y=50)
    await facilitator.add_note("in-big", "au milieu", x=500, y=500)
    await facilitator.add_note("outside", "dehors", x=5000, y=5000)
    for role in ("facilitator", "participant", "observer"):
        response = httpx.get(
            f"{server.url}/api/boards/{board['id']}", headers=bearer(board["tokens"][role])
        )
        assert response.status_code == 200, response.text
        data = response.json()
        assert data["role"] == role and data["title"] == "Atelier"
        zones = {n["id"]: n["zone"] for n in data["notes"]}
        assert zones == {"in-small": "small", "in-big": "big", "outside": None}
        assert [z["id"] for z in data["zones"]] == ["big", "small"]
        texts = {n["text"] for n in data["notes"]}
        assert "<b>dans le coin</b>" in texts  # plain text, as written
        assert all(n["author"] == "Camille" for n in data["notes"])


async def test_anonymous_board_hides_authors(server: ServerProcess, clients: list[YClient]) -> None:
    board = create_board(server.url)
    facilitator = YClient(server.url)
    clients.append(facilitator)
    await facilitator.connect(board["id"], board["tokens"]["facilitator"])
    await facilitator.add_note("n", "anonyme")
    await facilitator.write(
        "layout", lambda d: d.get("meta", type=Map).__setitem__("anonymous", True)
    )
    data = httpx.get(
        f"{server.url}/api/boards/{board['id']}", headers=bearer(board["tokens"]["participant"])
    ).json()
    assert data["anonymous"] is True
    assert "author" not in data["notes"][0] and "authorId" not in data["notes"][0]


def test_board_needs_a_valid_token(server: ServerProcess) -> None:
    board = create_board(server.url)
    url = f"{server.url}/api/boards/{board['id']}"
    assert_error(httpx.get(url), 401, "unauthorized")
    assert_error(httpx.get(url, headers={"Authorization": "Basic abc"}), 401, "unauthorized")
    assert_error(httpx.get(url, headers=bearer("wrong")), 401, "unauthorized")
    other = create_board(server.url)
    assert_error(
        httpx.get(url, headers=bearer(other["tokens"]["facilitator"])), 401, "unauthorized"
    )
    assert_error(httpx.get(f"{server.url}/api/boards/nope", headers=bearer("x")), 404, "not_found")


def test_join_code_lookup(server: ServerProcess) -> None:
    board = create_board(server.url)
    code = board["joinCode"]
    for typed in (code, code.lower(), f"{code[:3]} {code[3:]}", f"{code[:3]}-{code[3:]}"):
        response = httpx.get(f"{server.url}/api/join/{typed}")
        assert response.status_code == 200, typed
        expected = {
            "kind": "board",
            "boardId": board["id"],
            "token": board["tokens"]["participant"],
        }
        assert response.json() == expected
    for unknown in ("ZZZZZZ" if code != "ZZZZZZ" else "YYYYYY", "0O1IL0", "abc", "x" * 100):
        assert_error(httpx.get(f"{server.url}/api/join/{unknown}"), 404, "not_found")


def test_join_lookups_are_rate_limited(own_server) -> None:
    server = own_server(ARDOISE_JOIN_LOOKUPS_PER_MINUTE="3")
    for _ in range(3):
        httpx.get(f"{server.url}/api/join/ZZZZZZ")
    assert_error(httpx.get(f"{server.url}/api/join/ZZZZZZ"), 429, "rate_limited")


def test_board_creation_is_rate_limited(own_server) -> None:
    server = own_server(ARDOISE_CREATIONS_PER_MINUTE="2")
    create_board(server.url)
    create_board(server.url)
    assert_error(httpx.post(f"{server.url}/api/boards", json={"title": "t"}), 429, "rate_limited")


def test_unknown_api_route_and_method_use_the_error_shape(server: ServerProcess) -> None:
    assert_error(httpx.get(f"{server.url}/api/nothing-here"), 404, "not_found")
    assert_error(httpx.delete(f"{server.url}/api/templates"), 405, "bad_request")


def test_board_and_join_pages_are_served(server: ServerProcess) -> None:
    for path in ("/", "/b/some-board", "/j/ABCDEF"):
        response = httpx.get(f"{server.url}{path}")
        assert response.status_code == 200 and "text/html" in response.headers["content-type"], path


def test_wrong_board_tokens_are_rate_limited_and_right_ones_are_not_slowed(own_server) -> None:
    server = own_server(ARDOISE_TOKEN_FAILURES_PER_MINUTE="5")
    board = create_board(server.url)
    url = f"{server.url}/api/boards/{board['id']}"
    right = bearer(board["tokens"]["participant"])
    with httpx.Client(timeout=10) as http:
        # Working clients are never counted: many right tokens in a row all answer.
        for _ in range(30):
            assert http.get(url, headers=right).status_code == 200
        # Each wrong token (or an unknown board) counts; the 6th check is refused before the
        # token is looked at, on every endpoint taking a board token, a right token included.
        for i in range(4):
            assert_error(http.get(url, headers=bearer(f"guess{i}")), 401, "unauthorized")
        assert_error(http.get(f"{server.url}/api/boards/nope", headers=right), 404, "not_found")
        refused = http.get(url, headers=bearer("guess-again"))
        assert_error(refused, 429, "rate_limited")
        assert_error(http.get(url, headers=right), 429, "rate_limited")
        assert_error(
            http.get(f"{url}/export/csv", headers=bearer(board["tokens"]["facilitator"])),
            429,
            "rate_limited",
        )
        imported = http.post(
            f"{server.url}/api/templates",
            content=b"x",
            headers={
                "Content-Type": "application/toml",
                "X-Ardoise-Board": board["id"],
                **bearer("guess"),
            },
        )
        assert_error(imported, 429, "rate_limited")
        # Asking without a token is no guess: still the plain 401.
        assert_error(http.get(url), 401, "unauthorized")
