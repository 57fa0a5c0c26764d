"""A local HTTP server answering `POST /?api/entries/{formId}` as YesWiki's Bazar API does."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

FORM_ID = "7"


class FakeBazar:
    """`key` is the accepted API key; `mode` is "ok", "slow", "error" or "garbage"."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.mode = "ok"
        self.received: list[dict[str, Any]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                body = self.rfile.read(length).decode()
                fake.received.append(
                    {
                        "path": self.path,
                        "auth": self.headers.get("authorization"),
                        "type": self.headers.get("content-type"),
                        "fields": {k: v[0] for k, v in parse_qs(body).items()},
                    }
                )
                if fake.mode == "slow":
                    time.sleep(2)
                if self.headers.get("authorization") != f"Bearer {fake.key}":
                    self._answer(401, {"error": "Unauthorized"})
                elif self.path != f"/?api/entries/{FORM_ID}":
                    self._answer(404, {"error": "Not found"})
                elif fake.mode == "error":
                    self._answer(500, {"error": "boom"})
                elif fake.mode == "garbage":
                    self._answer(201, {"nothing": True})
                else:
                    self._answer(201, {"success": f"{fake.url}/?AtelierMobilites"})

            def _answer(self, status: int, data: dict[str, Any]) -> None:
                raw = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args: Any) -> None:
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
