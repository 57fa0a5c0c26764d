"""Logging set-up, with secrets (join codes, Engine.IO session ids) kept out of access logs."""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime

_SECRETS_IN_PATHS = [
    (re.compile(r"(/api/join/|/j/)[^/?\s\"]+"), r"\1***"),
    (re.compile(r"([?&]sid=)[^&\s\"]+"), r"\1***"),
]


def redact(text: str) -> str:
    for pattern, replacement in _SECRETS_IN_PATHS:
        text = pattern.sub(replacement, text)
    return text


class RedactSecrets(logging.Filter):
    """Rewrites log arguments: a join code in a log is a key to the board lying around."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


class DropRepeatedConnectionOpen(logging.Filter):
    """Drops the "connection open" that websockets logs through uvicorn's logger.

    It follows uvicorn's own '<address> - "WebSocket /socket.io/..." [accepted]' line for the same
    connection, without the address: one more line per participant with nothing new in it (and
    a record formatted and written each time, while a whole workshop joins at once).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return record.msg != "connection open"


class JsonLines(logging.Formatter):
    """One JSON object per line (`ARDOISE_LOG_FORMAT=json`), for a log collector: a message
    with a newline in it (a traceback) stays one record."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, str] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def configure(level: str, as_json: bool = False) -> None:
    logging.basicConfig(
        level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if as_json:
        for handler in logging.getLogger().handlers:
            handler.setFormatter(JsonLines())
    for name in ("uvicorn.access", "uvicorn.error"):
        logging.getLogger(name).addFilter(RedactSecrets())
    logging.getLogger("uvicorn.error").addFilter(DropRepeatedConnectionOpen())
    # Alembic describes its set-up ("Context impl ...", "setup plugin ...");
    # server.storage.schema logs the one line that matters, when the schema changed.
    logging.getLogger("alembic").setLevel(logging.WARNING)
