"""`GET /metrics`: the process's measures in Prometheus text format, for whoever holds the
metrics token (ARDOISE_METRICS_TOKEN); not served at all without one."""

from __future__ import annotations

import hmac

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from server.errors import ArdoiseError
from server.http import inputs
from server.metrics import CONTENT_TYPE
from server.protocol import ErrorCode


async def metrics(request: Request) -> Response:
    services = inputs.services(request)
    expected = services.settings.metrics_token
    if not expected:
        # Board counts and timings say how busy a server is: nothing to see without the setting.
        raise ArdoiseError(ErrorCode.NOT_FOUND, "metrics are off (ARDOISE_METRICS_TOKEN is unset)")
    address = inputs.client_address(request)
    failures = services.token_failure_limiter
    if not failures.has_room(address):
        raise ArdoiseError(ErrorCode.RATE_LIMITED, "too many wrong tokens from this address")
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ArdoiseError(
            ErrorCode.UNAUTHORIZED, "send the metrics token as 'Authorization: Bearer <token>'"
        )
    token = token.strip()
    if not hmac.compare_digest(token.encode(), expected.encode()):
        failures.allow(address)
        raise ArdoiseError(ErrorCode.FORBIDDEN, "this is not the metrics token")
    return Response(
        services.metrics.text(),
        media_type=CONTENT_TYPE,
        headers={"Cache-Control": "no-store"},
    )


routes = [Route("/metrics", metrics, methods=["GET"])]
