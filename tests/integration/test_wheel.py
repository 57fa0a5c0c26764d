"""The wheel `make wheel` builds, installed in a fresh virtualenv, serves the whole product from
an empty folder: the web client, the templates, boards stored under ./data."""

from __future__ import annotations

import os
import re
import subprocess
import threading
import venv
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.server_process import ROOT

_LISTENING = re.compile(r"Ardoise listening on (http://[^\s\"]+)")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The `ardoise` command of a virtualenv holding the wheel and its dependencies only."""
    tmp = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        ["make", "--no-print-directory", "wheel", f"WHEEL_DIR={tmp / 'dist'}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = (tmp / "dist").glob("ardoise-*.whl")
    env_dir = tmp / "venv"
    venv.create(env_dir, with_pip=True)
    pip = subprocess.run(
        [env_dir / "bin" / "pip", "install", "--quiet", str(wheel)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert pip.returncode == 0, pip.stdout + pip.stderr
    return env_dir / "bin" / "ardoise"


@pytest.fixture
def served(installed: Path, tmp_path: Path) -> Iterator[str]:
    empty = tmp_path / "empty"
    empty.mkdir()
    # Nothing of the repository or the test's own environment may help it.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARDOISE_", "PYTHON"))}
    env.update(ARDOISE_PORT="0", PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [installed, "serve"], cwd=empty, env=env, stderr=subprocess.PIPE, text=True
    )
    lines: list[str] = []
    started = threading.Event()

    def read() -> None:
        # Read to the end: a full pipe would block the server's logging.
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.append(line)
            if "Application startup complete" in line:
                started.set()
        started.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        started.wait(60)
        urls = [m.group(1) for line in lines if (m := _LISTENING.search(line))]
        assert urls, "the installed server did not start:\n" + "".join(lines)
        yield urls[0]
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        reader.join(5)
        assert proc.stderr is not None
        proc.stderr.close()
    assert (empty / "data" / "ardoise.sqlite3").exists()


def test_the_installed_wheel_serves_client_and_templates_from_an_empty_folder(
    served: str, installed: Path
) -> None:
    # Not the repository's code: the virtualenv's own copy.
    where = subprocess.run(
        [installed.parent / "python", "-c", "import server; print(server.__file__)"],
        cwd="/",
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(installed.parent.parent) in where and str(ROOT) not in where

    page = httpx.get(f"{served}/", timeout=10)
    assert page.status_code == 200 and "<script" in page.text
    (script,) = re.findall(r'src="(/assets/[^"]+\.js)"', page.text)
    bundle = httpx.get(f"{served}{script}", timeout=10)
    assert bundle.status_code == 200 and "javascript" in bundle.headers["content-type"]
    # A board link is the client's route, served the same page.
    assert "<script" in httpx.get(f"{served}/b/anything", timeout=10).text

    gallery = httpx.get(f"{served}/api/templates", timeout=10).json()
    ids = {t["id"] for t in gallery}
    assert {"blank", "meteo", "pro-action-cafe"} <= ids
    created = httpx.post(
        f"{served}/api/boards", json={"title": "Installée", "template": "meteo"}, timeout=10
    )
    assert created.status_code == 201, created.text
