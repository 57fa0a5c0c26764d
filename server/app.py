"""create_app(settings): the Starlette app and the Socket.IO server, as one ASGI application."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import socketio
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from server.errors import ArdoiseError, error_body
from server.http import boards, exports, facilitation, templates
from server.protocol import ErrorCode
from server.realtime.socket_server import SocketServer
from server.services import Services
from server.settings import Settings

_WEB_DIR = Path(__file__).resolve().parents[1] / "web" / "static"

_HTTP_CODES = {
    400: ErrorCode.BAD_REQUEST,
    401: ErrorCode.UNAUTHORIZED,
    403: ErrorCode.FORBIDDEN,
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.BAD_REQUEST,
    413: ErrorCode.PAYLOAD_TOO_LARGE,
    429: ErrorCode.RATE_LIMITED,
}


async def _ardoise_error(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, ArdoiseError)
    return JSONResponse(exc.body(), status_code=exc.status)


async def _http_error(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = _HTTP_CODES.get(exc.status_code, ErrorCode.BAD_REQUEST)
    return JSONResponse(error_body(code, str(exc.detail)), status_code=exc.status_code)


async def _internal_error(_: Request, exc: Exception) -> Response:
    return JSONResponse(error_body(ErrorCode.INTERNAL, "internal error"), status_code=500)


def _static_dir(settings: Settings) -> Path:
    if settings.static_dir is not None:
        return settings.static_dir
    built = _WEB_DIR / "dist"
    return built if (built / "index.html").exists() else _WEB_DIR


def create_app(settings: Settings) -> socketio.ASGIApp:
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
        # after. Measured: full collections of 60-90 ms, each a stall of every delivery, gone.
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
            Route("/b/{board_id}", spa_page),
            Route("/j/{code}", spa_page),
            Mount("/", StaticFiles(directory=static, html=True, check_dir=False)),
        ],
        exception_handlers={
            ArdoiseError: _ardoise_error,
            HTTPException: _http_error,
            Exception: _internal_error,
        },
        lifespan=lifespan,
    )
    app.state.services = services
    # No on_startup/on_shutdown here, so ASGIApp forwards lifespan to Starlette (FINDINGS.md).
    return socketio.ASGIApp(sio, other_asgi_app=app, socketio_path="socket.io")
