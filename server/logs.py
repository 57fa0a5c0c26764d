"""Logging set-up, with secrets (join codes, Engine.IO session ids) kept out of access logs."""

from __future__ import annotations

import logging
import re

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


def configure(level: str) -> None:
    logging.basicConfig(
        level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    for name in ("uvicorn.access", "uvicorn.error"):
        logging.getLogger(name).addFilter(RedactSecrets())
