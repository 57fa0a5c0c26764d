"""The repository stands alone: no file it tracks cites a document or a path outside it.

Whoever clones it must find every document it cites. The wire protocol, the board documents and
the facts about our dependencies are docs/protocol.md, docs/board-schema.md and docs/findings.md;
a file that names a contract by a bare upper-case name (`PROTOCOL.md`, `BOARD_SCHEMA.md`,
`FINDINGS.md`, `STYLE.md`), the shared folder beside the repository or a folder of one
machine (/work, /home, /root, /Users) sends its reader to something a clone does not have. System
paths that the code really uses (/usr/bin/chromium, /usr/share/fonts, /proc, /tmp...) are not
one machine's. In the markdown documentation, every link and every repository path (`docs/...`,
`server/...`) must name a file or a folder of the repository, and so must every `docs/*.md` named
anywhere.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path, PurePosixPath

import pytest

REPO = Path(__file__).resolve().parent.parent

# Text files whose references are read: by suffix, or by path for the ones without a suffix.
_SUFFIXES = frozenset(
    {".py", ".ts", ".mjs", ".js", ".md", ".toml", ".yml", ".yaml", ".json", ".sh", ".html", ".css"}
)
_NAMES = frozenset({"Makefile", "Dockerfile", ".ci/run", ".dockerignore", ".gitignore"})
# Data, not prose: lock files, the exports' golden files, recorded Yjs updates; and this file,
# whose examples below are the very references it looks for.
_SKIPPED_SUFFIXES = (".lock", "package-lock.json")
_SKIPPED_FOLDERS = ("tests/unit/boards/export/golden/",)
_SKIPPED_FILES = (
    "tests/unit/boards/fixtures/yjs_updates/yjs_updates.json",
    "tests/test_self_contained.py",
)

# The contracts by names outside the repository; `docs/protocol.md` and the like are inside it.
_OUTSIDE_CONTRACT = re.compile(r"(?<!docs/)\b(?:PROTOCOL|BOARD_SCHEMA|FINDINGS|STYLE)\.md\b")
_BESIDE_THE_REPOSITORY = re.compile(r"\.\./shared\b")
# A path starting at one of these roots: the start of a path, not part of a URL or of a longer
# relative path (`example.org/home`, `web/root`), and the whole folder name (`/workshop` is not).
_ONE_MACHINE = re.compile(r"(?<![\w.~/-])/(?:work|home|root|Users)(?![\w.-])[^\s\"'`)\]]*")
_DOC_MENTION = re.compile(r"(?<![\w./-])docs/[\w.-]+\.md\b")

# Markdown: links `[text](target)`, and paths from the repository's root in the prose.
_MD_LINK = re.compile(r"\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_REPO_PATH = re.compile(
    r"(?<![\w./@-])((?:docs|server|tests|bench|web|templates|scripts|\.ci)/[\w.@/-]*[\w/])"
)
# Made by the build or the tools, never committed, and cited on purpose (where output goes):
# the web client's build (web/static/dist, served from web/static), the Node packages, the
# benchmark's cache and reports.
_GENERATED = (
    "web/static",
    "web/node_modules",
    "bench/.cache",
    "bench/js/node_modules",
    "bench/results",
)


def _is_checked(path: str) -> bool:
    if path in _SKIPPED_FILES or path.endswith(_SKIPPED_SUFFIXES):
        return False
    if path.startswith(_SKIPPED_FOLDERS):
        return False
    return path in _NAMES or PurePosixPath(path).suffix in _SUFFIXES


def _git_files(*options: str) -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "-z", *options], cwd=REPO, capture_output=True, check=True
    )
    return [name for name in listed.stdout.decode().split("\0") if name]


def repository_paths(files: list[str]) -> frozenset[str]:
    """Every file and every folder holding one, as paths from the repository's root."""
    paths = set(files)
    for name in files:
        paths.update(str(parent) for parent in PurePosixPath(name).parents if str(parent) != ".")
    return frozenset(paths)


def _exists(path: str, known: frozenset[str]) -> bool:
    path = path.rstrip("/")
    return path in known or any(path == g or path.startswith(g + "/") for g in _GENERATED)


def _link_target(source: str, target: str) -> str | None:
    """A markdown link's target as a path from the repository's root; None when it points
    elsewhere (a URL, an anchor of the same page)."""
    if _URL_SCHEME.match(target) or target.startswith("#"):
        return None
    target = target.split("#", 1)[0].split("?", 1)[0]
    if target.startswith("/"):
        return target.lstrip("/")
    parts: list[str] = []
    for part in (*PurePosixPath(source).parent.parts, *PurePosixPath(target).parts):
        if part == "..":
            if not parts:
                return ".."  # above the repository: never one of its files
            parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


def problems_in(path: str, text: str, known: frozenset[str]) -> list[str]:
    """Every reference in `text` (the file at `path`) to something outside the repository.

    `known`: the repository's files and folders (`repository_paths`).
    """
    problems: list[str] = []
    is_markdown = path.endswith(".md")
    for number, line in enumerate(text.splitlines(), start=1):
        where = f"{path}:{number}"
        for match in _OUTSIDE_CONTRACT.finditer(line):
            problems.append(f"{where}: {match.group()} is outside the repository (see docs/)")
        for match in _BESIDE_THE_REPOSITORY.finditer(line):
            problems.append(f"{where}: {match.group()} is a folder beside the repository")
        for match in _ONE_MACHINE.finditer(line):
            problems.append(f"{where}: {match.group()} is a path on one machine")
        for match in _DOC_MENTION.finditer(line):
            if not _exists(match.group(), known):
                problems.append(f"{where}: {match.group()} does not exist")
        if not is_markdown:
            continue
        for match in _MD_LINK.finditer(line):
            target = _link_target(path, match.group(1))
            if target is not None and not _exists(target, known):
                problems.append(f"{where}: the link to {match.group(1)} leads to nothing")
        for match in _REPO_PATH.finditer(line):
            if not _exists(match.group(1), known):
                problems.append(f"{where}: {match.group(1)} does not exist")
    return problems


@pytest.fixture(scope="module")
def known() -> frozenset[str]:
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout: the tracked files cannot be listed")
    # What a clone holds, and the files not committed yet that a commit would add.
    present = _git_files("--cached", "--others", "--exclude-standard")
    return repository_paths([name for name in present if (REPO / name).is_file()])


def test_no_tracked_file_cites_anything_outside_the_repository(known: frozenset[str]) -> None:
    checked = [name for name in _git_files("--cached") if _is_checked(name)]
    assert "docs/protocol.md" in checked and "server/app.py" in checked  # it reads something
    problems: list[str] = []
    for name in checked:
        file = REPO / name
        if file.is_file():  # not deleted in the working tree
            problems += problems_in(name, file.read_text(encoding="utf-8"), known)
    assert not problems, "\n".join(problems)


_KNOWN = repository_paths(["docs/protocol.md", "docs/findings.md", "server/app.py", "README.md"])


@pytest.mark.parametrize(
    ("path", "line"),
    [
        ("server/room.py", "# The frame as PROTOCOL.md section 4 says."),
        ("server/room.py", '"""Refusals (see BOARD_SCHEMA.md)."""'),
        ("web/src/sync/frames.ts", "/** y-websocket framing (FINDINGS.md, pycrdt). */"),
        ("bench/js/clients.mjs", "// as STYLE.md wants it"),
        # Written in two pieces, so that this file does not itself name a folder outside.
        ("tests/test_x.py", "# the contract in .." + "/shared/protocol.md"),
        ("tests/integration/js/stock_client.mjs", "// following /work/shared/protocol.md"),
        ("Makefile", "\tcp /home/camille/ardoise.sqlite3 data/"),
        ("docs/deployment.md", "Run it from /root/ardoise."),
        ("README.md", "Open `/Users/camille/ardoise/README.md`."),
        ("server/settings.py", "# Explained in docs/tuning.md."),
        ("docs/protocol.md", "What the documents hold: [the schema](board-schema.md)."),
        ("docs/protocol.md", "Compare [findings](../docs/gone.md#pycrdt)."),
        ("README.md", "The server's entry point is `server/main.py`."),
        ("BENCHMARKS.md", "Options: [`bench/README.md`](bench/README.md)."),
    ],
)
def test_a_planted_outside_reference_is_caught(path: str, line: str) -> None:
    problems = problems_in(path, f"first line\n{line}\n", _KNOWN)
    assert problems, line
    assert all(problem.startswith(f"{path}:2: ") for problem in problems), problems


@pytest.mark.parametrize(
    ("path", "line"),
    [
        ("server/room.py", "# The frame as docs/protocol.md section 4 says."),
        ("server/export/fonts.py", '_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"'),
        ("tests/e2e/conftest.py", '_CHROMIUM = "/usr/bin/chromium"'),
        ("bench/procstat.py", 'with open(f"/proc/{pid}/stat") as stat:'),
        ("docs/protocol.md", "The promise: [Writes](#4-document-sync-event-y)."),
        (
            "docs/protocol.md",
            "Facts: [findings](findings.md#pycrdt), [site](https://yjs.dev/home).",
        ),
        ("README.md", "See `docs/findings.md` and `server/app.py`, built into `web/static/dist`."),
        ("README.md", "Workshops run from /workshop-room; the image serves /app/templates."),
        ("server/app.py", "# server/nowhere.py is only checked in the documentation"),
    ],
)
def test_an_inside_reference_passes(path: str, line: str) -> None:
    assert problems_in(path, line, _KNOWN) == []
