"""The TypeScript protocol module mirrors server/protocol.py name for name (docs/protocol.md).

Both are data; this test reads the TypeScript file as text (no Node needed) and compares every
enum and the protocol version, so a code added on one side only fails here, not in a workshop.
"""

from __future__ import annotations

import enum
import re
from pathlib import Path

from server import protocol

TS_FILE = Path(__file__).resolve().parents[2] / "web" / "src" / "sync" / "protocol.ts"

_TABLE = re.compile(r"^export const (\w+) = \{(.*?)\} as const", re.DOTALL | re.MULTILINE)
_ENTRY = re.compile(r"^\s*(\w+):\s*(?:'([^']*)'|(\d+)),?\s*$")
_VERSION = re.compile(r"export const PROTOCOL_VERSION = (\d+)")


def _python_tables() -> dict[str, dict[str, str | int]]:
    tables: dict[str, dict[str, str | int]] = {}
    for name, value in vars(protocol).items():
        if (
            isinstance(value, type)
            and issubclass(value, enum.Enum)
            and value.__module__ == protocol.__name__
        ):
            tables[name] = {member.name: member.value for member in value}
    return tables


def _typescript_tables() -> dict[str, dict[str, str | int]]:
    source = TS_FILE.read_text(encoding="utf-8")
    tables: dict[str, dict[str, str | int]] = {}
    for name, body in _TABLE.findall(source):
        entries: dict[str, str | int] = {}
        for line in body.splitlines():
            if not line.strip() or line.strip().startswith("//"):
                continue
            match = _ENTRY.match(line)
            assert match, f"{name}: cannot read {line.strip()!r} in {TS_FILE.name}"
            key, text, number = match.groups()
            entries[key] = text if text is not None else int(number)
        tables[name] = entries
    return tables


def test_every_python_enum_is_mirrored_exactly_in_typescript() -> None:
    python = _python_tables()
    typescript = _typescript_tables()
    assert python, "no enums found in server/protocol.py"
    for name, members in python.items():
        assert name in typescript, f"{name} is missing from web/src/sync/protocol.ts"
        assert typescript[name] == members, f"{name} differs between Python and TypeScript"


def test_typescript_has_no_protocol_table_python_lacks() -> None:
    python = _python_tables()
    # Codes the client makes up itself (timeouts, network failures) are not wire protocol.
    client_only = {"ClientErrorCode"}
    extra = set(_typescript_tables()) - set(python) - client_only
    assert not extra, f"web/src/sync/protocol.ts has tables the server lacks: {sorted(extra)}"


def test_client_only_codes_never_collide_with_wire_codes() -> None:
    wire = {code.value for code in protocol.ErrorCode}
    client_only = set(_typescript_tables()["ClientErrorCode"].values())
    assert not wire & client_only


def test_protocol_versions_match() -> None:
    match = _VERSION.search(TS_FILE.read_text(encoding="utf-8"))
    assert match, "PROTOCOL_VERSION not found in web/src/sync/protocol.ts"
    assert int(match.group(1)) == protocol.PROTOCOL_VERSION
