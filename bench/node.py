"""Node.js and the benchmark's npm packages (bench/js/package.json), installed into bench/.cache.

The load generator and the Hocuspocus server run from that folder: ES modules resolve their
imports from their own location, so the scripts are copied next to the node_modules they use.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

JS_SOURCES = Path(__file__).resolve().parent / "js"
DEFAULT_CACHE = Path(__file__).resolve().parent / ".cache" / "node"
MIN_NODE_MAJOR = 20
_NPM_TIMEOUT_S = 600


class NodeUnavailable(RuntimeError):
    """Node.js, npm or the npm registry is missing: the benchmark cannot run without them."""


@dataclass(frozen=True, slots=True)
class NodePackages:
    node: str
    folder: Path

    def script(self, name: str) -> Path:
        return self.folder / name

    def version(self, package: str) -> str:
        manifest = self.folder / "node_modules" / package / "package.json"
        version: str = json.loads(manifest.read_text())["version"]
        return version

    def node_version(self) -> str:
        return subprocess.run(
            [self.node, "--version"], capture_output=True, text=True, timeout=10, check=True
        ).stdout.strip()


def ensure_packages(cache: Path = DEFAULT_CACHE) -> NodePackages:
    """Install (once, with `npm ci` from the committed lock file) and refresh the scripts."""
    node = shutil.which("node")
    npm = shutil.which("npm")
    if node is None or npm is None:
        raise NodeUnavailable(
            "Node.js >= 20 and npm are needed: install them (e.g. apt nodejs npm)"
        )
    version = subprocess.run(
        [node, "--version"], capture_output=True, text=True, timeout=10, check=True
    ).stdout.strip()
    match = re.match(r"v(\d+)\.", version)
    if match is None or int(match.group(1)) < MIN_NODE_MAJOR:
        raise NodeUnavailable(f"Node.js >= {MIN_NODE_MAJOR} is needed, found {version!r}")
    cache.mkdir(parents=True, exist_ok=True)
    lock = (JS_SOURCES / "package-lock.json").read_bytes()
    stamp = cache / "node_modules" / ".bench-lock"
    if not stamp.is_file() or stamp.read_bytes() != lock:
        shutil.copy2(JS_SOURCES / "package.json", cache / "package.json")
        shutil.copy2(JS_SOURCES / "package-lock.json", cache / "package-lock.json")
        result = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=cache,
            capture_output=True,
            text=True,
            timeout=_NPM_TIMEOUT_S,
            check=False,
        )
        if result.returncode != 0:
            raise NodeUnavailable(
                "`npm ci` of the benchmark's packages (Hocuspocus, yjs, socket.io-client) failed;"
                f" is the npm registry reachable?\n{result.stdout[-2000:]}{result.stderr[-3000:]}"
            )
        stamp.write_bytes(lock)
    for source in JS_SOURCES.glob("*.mjs"):
        shutil.copy2(source, cache / source.name)
    return NodePackages(node=node, folder=cache)
