"""Shared fixtures: real servers on SQLite and PostgreSQL, and board-creating helpers."""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from hypothesis import HealthCheck, settings

from tests.support import postgres
from tests.support.server_process import SHARED_SERVER_ENV, ServerProcess
from tests.support.yclient import YClient

# Property tests judge results, never time: Hypothesis's per-example deadline and "too slow"
# check failed on a busy shared machine (a 268 ms example once, 0.25 ms when run again).
settings.register_profile("ardoise", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ardoise")

# The admin URL of a PostgreSQL server where each test run creates (and drops) its own database.
POSTGRES_ADMIN_URL = os.environ.get(
    "ARDOISE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
# Set by .ci/run: in CI a missing PostgreSQL or Redis is a failure, never a skip.
REQUIRE_SERVICES = os.environ.get("ARDOISE_REQUIRE_SERVICES") == "1"


def _postgres_unavailable(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"PostgreSQL is required (ARDOISE_REQUIRE_SERVICES=1) but {reason}")
    pytest.skip(f"PostgreSQL not available at {POSTGRES_ADMIN_URL}: {reason}")


@contextmanager
def fresh_postgres_database(prefix: str) -> Iterator[str]:
    """A new, empty PostgreSQL database (its SQLAlchemy URL), dropped afterwards; a skip, or in
    CI a failure, when PostgreSQL cannot be reached."""
    name = f"{prefix}_{secrets.token_hex(6)}"
    try:
        postgres.execute(POSTGRES_ADMIN_URL, f'CREATE DATABASE "{name}"')
    except (OSError, asyncpg.PostgresError) as exc:
        _postgres_unavailable(str(exc))
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    try:
        yield f"{base}/{name}"
    finally:
        postgres.execute(POSTGRES_ADMIN_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres_database_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test run, dropped at the end."""
    with fresh_postgres_database("ardoise_test") as url:
        yield url


def database_url_for(backend: str, tmp: Path, request: pytest.FixtureRequest) -> str:
    if backend == "postgresql":
        url: str = request.getfixturevalue("postgres_database_url")
        return url
    return f"sqlite+aiosqlite:///{tmp / 'ardoise.sqlite3'}"


BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def server(
    backend: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[ServerProcess]:
    """One shared server per backend: boards are independent, so tests do not collide.
    Its per-address limits are lifted (see SHARED_SERVER_ENV); `own_server` tests the limits.
    """
    tmp = tmp_path_factory.mktemp(f"server-{backend}")
    proc = ServerProcess(tmp, database_url_for(backend, tmp, request), SHARED_SERVER_ENV).start()
    yield proc
    proc.stop()


@pytest.fixture
def own_server(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A factory for a server of the test's own (settings, restarts, crashes)."""
    started: list[ServerProcess] = []

    def start(**env: str) -> ServerProcess:
        proc = ServerProcess(tmp_path, database_url_for(backend, tmp_path, request), env).start()
        started.append(proc)
        return proc

    yield start
    for proc in started:
        proc.stop()


def create_board(url: str, title: str = "Atelier", **body: Any) -> dict[str, Any]:
    response = httpx.post(f"{url}/api/boards", json={"title": title, **body}, timeout=10)
    assert response.status_code == 201, response.text
    board: dict[str, Any] = response.json()
    return board


@pytest.fixture
async def clients() -> AsyncIterator[list[YClient]]:
    """Clients made by a test; all disconnected at the end."""
    made: list[YClient] = []
    yield made
    for client in made:
        await client.disconnect()
