"""Every kind of HTTP response carries the browser's protections (server/http/security_headers)."""

from __future__ import annotations

import re

import httpx

from tests.conftest import create_board
from tests.integration.test_http_api import bearer
from tests.support.server_process import ServerProcess

EXPECTED = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


def assert_protected(response: httpx.Response, what: str) -> None:
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (what, name, response.headers)
    policy = response.headers.get("content-security-policy", "")
    directives = {d.split()[0]: d.split()[1:] for d in policy.split("; ") if d}
    assert directives["default-src"] == ["'self'"], (what, policy)
    assert directives["script-src"] == ["'self'"], (what, policy)
    assert directives["style-src"] == ["'self'"], (what, policy)
    assert directives["frame-ancestors"] == ["'none'"], (what, policy)
    assert directives["object-src"] == ["'none'"], (what, policy)
    host = response.request.url.netloc.decode()
    assert directives["connect-src"] == ["'self'", f"ws://{host}", f"wss://{host}"], policy
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy


def test_every_kind_of_response_carries_the_security_headers(server: ServerProcess) -> None:
    board = create_board(server.url)
    facilitator = bearer(board["tokens"]["facilitator"])
    with httpx.Client(base_url=server.url, timeout=10) as http:
        page = http.get("/")
        assert page.status_code == 200
        assert_protected(page, "home page")
        script = re.search(r'src="(/assets/[^"]+\.js)"', page.text)
        assert script is not None, page.text
        responses = {
            "static file": http.get(script.group(1)),
            "board page": http.get(f"/b/{board['id']}"),
            "join page": http.get(f"/j/{board['joinCode']}"),
            "health": http.get("/healthz"),
            "API read": http.get(f"/api/boards/{board['id']}", headers=facilitator),
            "API error": http.get(f"/api/boards/{board['id']}", headers=bearer("wrong")),
            "unknown route": http.get("/api/nope"),
            "created": http.post("/api/boards", json={"title": "t"}),
            "export": http.get(f"/api/boards/{board['id']}/export/csv", headers=facilitator),
            "socket.io polling": http.get(
                "/socket.io/", params={"EIO": "4", "transport": "polling"}
            ),
            "socket.io refusal": http.get("/socket.io/", params={"EIO": "4", "transport": "nope"}),
        }
        expected_status = {"API error": 401, "unknown route": 404, "created": 201}
        for what, response in responses.items():
            if what == "socket.io refusal":
                assert response.status_code == 400, response.text
            else:
                assert response.status_code == expected_status.get(what, 200), (what, response.text)
            assert_protected(response, what)
