"""The security headers' middleware: every HTTP response, nothing overwritten, hosts kept inert."""

from __future__ import annotations

from typing import Any

import pytest

from server.http.security_headers import SecurityHeaders, content_security_policy


@pytest.mark.parametrize(
    ("host", "named"),
    [
        ("ardoise.example.org", True),
        ("127.0.0.1:8000", True),
        ("[::1]:8000", True),
        ("evil; script-src *", False),
        ("a b", False),
        ("x'y", False),
        (None, False),
    ],
)
def test_only_a_plain_host_is_named_in_the_policy(host: str | None, named: bool) -> None:
    policy = content_security_policy(host)
    connect = next(d for d in policy.split("; ") if d.startswith("connect-src"))
    if named:
        assert connect == f"connect-src 'self' ws://{host} wss://{host}"
    else:
        assert connect == "connect-src 'self'"
    assert policy.count("script-src") == 1


async def _run(app: Any, scope_type: str = "http") -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": scope_type, "headers": [(b"host", b"h:1")]}
    await SecurityHeaders(app)(scope, receive, send)
    return sent


async def test_headers_are_added_and_the_application_s_own_are_kept() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        headers = [(b"content-type", b"text/plain"), (b"x-frame-options", b"SAMEORIGIN")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"ok"})

    start, body = await _run(app)
    headers = dict(start["headers"])
    assert headers[b"x-frame-options"] == b"SAMEORIGIN"
    assert headers[b"x-content-type-options"] == b"nosniff"
    assert headers[b"referrer-policy"] == b"no-referrer"
    assert b"frame-ancestors 'none'" in headers[b"content-security-policy"]
    assert body == {"type": "http.response.body", "body": b"ok"}


async def test_other_scopes_pass_through_untouched() -> None:
    seen: list[Any] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen.append(send)
        await send({"type": "websocket.accept"})

    sent = await _run(app, "websocket")
    assert sent == [{"type": "websocket.accept"}]
