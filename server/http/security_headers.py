"""SecurityHeaders: the browser's protections on every HTTP response (API, pages, files, Socket.IO).

A pure ASGI middleware around the whole application, Socket.IO's long-polling answers included,
so that no response escapes it. A header the application already set is kept.

The Content-Security-Policy is what the built web client needs and no more: its scripts and styles
are files of this origin (no inline `<script>`, `<style>` or `style="…"` attribute; element.style
assignments, which the client makes, are not restricted by a CSP); images may be `data:` (the
favicon) or `blob:` URLs; it talks to this origin only, over HTTP and WebSocket (`'self'` covers
ws(s) in current browsers, the host is named too for older ones); nothing may frame its pages (a
facilitator's page must not be dressed up by another site). Tokens ride in the URL fragment, which
is never sent, and `Referrer-Policy: no-referrer` keeps even the path (board ids) from leaving.
"""

from __future__ import annotations

import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_POLICY = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
)
_FIXED: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
)
# A Host header is named in the policy only when it is a plain host[:port] (or [v6]:port): any
# other character could end the directive and start another.
_PLAIN_HOST = re.compile(
    r"[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]{2,45}\](:[0-9]{1,5})?"
)


def content_security_policy(host: str | None) -> str:
    """The policy for a response to a request made to `host` (its Host header)."""
    connect = "connect-src 'self'"
    if host and _PLAIN_HOST.fullmatch(host):
        connect += f" ws://{host} wss://{host}"
    return "; ".join((*_POLICY, connect))


class SecurityHeaders:
    """Adds the headers above to every HTTP response of `app`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = None
        for name, value in scope.get("headers", ()):
            if name == b"host":
                host = value.decode("latin-1")
                break
        added = (
            (b"content-security-policy", content_security_policy(host).encode("latin-1")),
            *_FIXED,
        )

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                headers.extend((name, value) for name, value in added if name not in present)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
