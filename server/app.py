"""create_app(settings): the Starlette app and the Socket.IO server, as one ASGI application."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import socketio
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp

from server.http import (
    boards,
    exports,
    facilitation,
    history,
    images,
    metrics,
    template_owners,
    templates,
    trash,
    workshops,
)
from server.http.errors import EXCEPTION_HANDLERS
from server.http.security_headers import SecurityHeaders
from server.realtime.socket_server import SocketServer
from server.services import Services
from server.settings import Settings

_WEB_DIR = Path(__file__).resolve().parents[1] / "web" / "static"
# Where an installed wheel carries the built client (setup.py).
_PACKAGED_WEB_DIR = Path(__file__).resolve().parent / "web_client"


def _static_dir(settings: Settings) -> Path:
    if settings.static_dir is not None:
        return settings.static_dir
    for built in (_PACKAGED_WEB_DIR, _WEB_DIR / "dist"):
        if (built / "index.html").exists():
            return built
    return _WEB_DIR


@dataclass(frozen=True, slots=True)
class App:
    """The ASGI application to serve, and its Socket.IO server (whose sessions end first at
    shutdown, so that no long-poll holds the final flush back)."""

    asgi: ASGIApp
    sio: SocketServer


def create_app(settings: Settings) -> App:
    sio = SocketServer(
        async_mode="asgi",
        cors_allowed_origins=list(settings.cors_origins) or None,
        max_http_buffer_size=settings.transport_buffer_bytes,
        logger=False,
        engineio_logger=False,
    )
    services = Services.build(settings, sio)
    static = _static_dir(settings)

    async def spa_page(_: Request) -> Response:
        # Board and join links are client-side routes: the same page serves them all.
        return FileResponse(static / "index.html")

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        await services.start()
        # What exists now (modules, templates, settings) lives as long as the process: out of
        # the collector's sight, a full collection during a workshop scans only what came
        # after, instead of stalling every delivery (BENCHMARKS.md).
        gc.freeze()
        try:
            yield
        finally:
            await services.stop()

    app = Starlette(
        routes=[
            *boards.routes,
            *exports.routes,
            *facilitation.routes,
            *templates.routes,
            *template_owners.routes,
            *trash.routes,
            *history.routes,
            *metrics.routes,
            *workshops.routes,
            *images.routes,
            Route("/b/{board_id}", spa_page),
            Route("/j/{code}", spa_page),
            Route("/w/{workshop_id}", spa_page),
            Mount("/", StaticFiles(directory=static, html=True, check_dir=False)),
        ],
        exception_handlers=dict(EXCEPTION_HANDLERS),
        lifespan=lifespan,
    )
    app.state.services = services
    # No on_startup/on_shutdown here, so ASGIApp forwards lifespan to Starlette (docs/findings.md).
    # The headers wrap everything, Socket.IO's long-polling answers included.
    both = socketio.ASGIApp(sio, other_asgi_app=app, socketio_path="socket.io")
    return App(SecurityHeaders(both), sio)
