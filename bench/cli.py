"""What the benchmark's commands (`python -m bench`, `python -m bench.pairs`) share: how a failed
run becomes an exit status, and how a report is written."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

from bench.node import NodeUnavailable
from bench.servers import ServerError

T = TypeVar("T")

# Exit statuses (bench/README.md).
SERVER_FAILED = 1
NODE_MISSING = 2


def run_or_exit_status(prog: str, work: Coroutine[Any, Any, T]) -> T | int:
    """The run's result, or, its failure printed, the exit status that says which: Node.js or npm
    missing (the benchmark installs its Node packages itself), or a server failed."""
    try:
        return asyncio.run(work)
    except NodeUnavailable as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return NODE_MISSING
    except ServerError as exc:
        print(f"{prog}: a server failed: {exc}", file=sys.stderr)
        return SERVER_FAILED


def write_json(path: Path, report: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, allow_nan=False) + "\n")
