"""`python -m server` and `ardoise serve`: read the settings, bind, serve."""

from __future__ import annotations

import argparse
import logging
import socket

import socketio
import uvicorn

from server import logs
from server.app import create_app
from server.settings import LogFormat, Settings

log = logging.getLogger("server")


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    return sock


class _Server(uvicorn.Server):
    """Ends every Socket.IO session before uvicorn's graceful wait.

    A long-poll request otherwise holds the shutdown for the whole graceful timeout, and the final
    flush of accepted updates (the app's lifespan shutdown) waits behind it.
    """

    def __init__(self, config: uvicorn.Config, sio: socketio.AsyncServer) -> None:
        super().__init__(config)
        self._sio = sio

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        engineio = self._sio.eio
        # Only with sessions: with none, engineio's disconnect() calls asyncio.wait([]), which
        # raises, and the shutdown would stop before the final flush.
        if engineio.sockets:
            await engineio.disconnect()
        await super().shutdown(sockets)


def serve(settings: Settings) -> None:
    logs.configure(settings.log_level, as_json=settings.log_format is LogFormat.JSON)
    # We bind ourselves so that port 0 works and the real port can be announced (tests use it).
    sock = _bind(settings.host, settings.port)
    host, port = sock.getsockname()[:2]
    display_host = f"[{host}]" if ":" in host else host
    app = create_app(settings)
    config = uvicorn.Config(
        app.asgi,
        log_level=settings.log_level,
        lifespan="on",
        log_config=None,
        timeout_graceful_shutdown=10,
        # Compressing every delivery for every connection costs several times the CPU of the
        # delivery itself (docs/findings.md, uvicorn and websockets); Yjs updates are small and
        # mostly incompressible anyway.
        ws_per_message_deflate=False,
        # server.realtime.wire writes the fan-out straight to this implementation's connections.
        ws="websockets-sansio",
    )
    log.info("Ardoise listening on http://%s:%d", display_host, port)
    _Server(config, app.sio).run(sockets=[sock])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="ardoise", description="Ardoise board server")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("serve", help="serve the board server (the default)")
    parser.parse_args(argv)
    serve(Settings.from_env())


if __name__ == "__main__":
    main()
