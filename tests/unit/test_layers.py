"""The server's folders are its layers: an import only goes down (docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

SERVER = Path(__file__).resolve().parents[2] / "server"

# From the top down. A module may import its own layer and the layers below it, never above.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("entry", ("server.__main__", "server.app")),
    ("http", ("server.http",)),
    ("wiring", ("server.services",)),
    ("realtime", ("server.realtime",)),
    ("storage", ("server.storage",)),
    ("domain", ("server.boards",)),
    (
        "base",
        (
            "server.protocol",
            "server.errors",
            "server.settings",
            "server.logs",
            "server.ratelimit",
            "server.memory",
            "server",
        ),
    ),
]

# What the domain must not load, even for a type: it is used by tests and tools without them.
DOMAIN_FORBIDDEN = (
    "sqlalchemy",
    "alembic",
    "socketio",
    "engineio",
    "starlette",
    "uvicorn",
    "redis",
)


def module_name(path: Path) -> str:
    parts = path.relative_to(SERVER.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> int:
    best: tuple[int, int] | None = None  # (length of the matching prefix, layer index)
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            matches = module == prefix or module.startswith(prefix + ".")
            if matches and (best is None or len(prefix) > best[0]):
                best = (len(prefix), index)
    assert best is not None, f"{module} belongs to no layer: add it to LAYERS"
    return best[1]


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module an import statement names (absolute names; the code uses no relative ones)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}:{node.lineno}: relative import"
            base = node.module or ""
            found.append((node.lineno, base))
            # `from server.http import boards` names the module server.http.boards.
            found.extend((node.lineno, f"{base}.{alias.name}") for alias in node.names)
    return found


def server_files() -> list[Path]:
    return sorted(p for p in SERVER.rglob("*.py") if "migrations" not in p.parts[-3:])


def test_every_server_module_has_a_layer() -> None:
    for path in server_files():
        layer_of(module_name(path))


def test_imports_only_go_down() -> None:
    known = {module_name(p) for p in SERVER.rglob("*.py")}
    upward = []
    for path in server_files():
        importer = module_name(path)
        for line, target in imported_modules(path):
            if target not in known:
                continue
            if layer_of(target) < layer_of(importer):
                upward.append(
                    f"{path.relative_to(SERVER.parent)}:{line}: {importer} "
                    f"({LAYERS[layer_of(importer)][0]}) imports {target} "
                    f"({LAYERS[layer_of(target)][0]})"
                )
    assert not upward, "imports going up a layer:\n" + "\n".join(upward)


def test_domain_loads_no_transport_or_database_library() -> None:
    offending = []
    for path in sorted((SERVER / "boards").rglob("*.py")):
        for line, target in imported_modules(path):
            if target.split(".")[0] in DOMAIN_FORBIDDEN:
                offending.append(f"{path.relative_to(SERVER.parent)}:{line}: {target}")
    assert not offending, "server/boards must stay free of these:\n" + "\n".join(offending)


def test_the_checker_sees_an_upward_import() -> None:
    # The test above could pass by reading nothing: a known upward arrow must be detected.
    assert layer_of("server.boards.room") > layer_of("server.storage.board_store")
    assert layer_of("server.http.boards") < layer_of("server.services")
    assert "server.http.boards" in {t for _, t in imported_modules(SERVER / "app.py")}
