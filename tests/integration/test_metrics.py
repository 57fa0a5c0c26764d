"""`GET /metrics` and JSON logs through the real server: what an operator's Prometheus and log
collector read, and what nobody else may."""

from __future__ import annotations

import json
import re
import secrets

import httpx

from tests.conftest import create_board
from tests.integration.test_facilitation import join
from tests.support.waiting import eventually
from tests.support.yclient import YClient

TOKEN = secrets.token_urlsafe(32)


def _scrape(url: str, token: str = TOKEN) -> httpx.Response:
    return httpx.get(f"{url}/metrics", headers={"Authorization": f"Bearer {token}"}, timeout=10)


def _value(text: str, name: str) -> float:
    """The sample `name` (with its labels, if any, written out) of a Prometheus text page."""
    match = re.search(rf"^{re.escape(name)} (\S+)$", text, re.MULTILINE)
    assert match, f"{name} not in:\n{text}"
    return float(match.group(1))


async def test_metrics_count_a_workshop_for_the_token_holder_only(
    own_server, clients: list[YClient]
) -> None:
    server = own_server(ARDOISE_METRICS_TOKEN=TOKEN, ARDOISE_LOG_FORMAT="json")
    before = _scrape(server.url)
    assert before.status_code == 200, before.text
    assert before.headers["content-type"].startswith("text/plain; version=0.0.4")
    assert _value(before.text, "ardoise_boards_loaded") == 0
    assert _value(before.text, "ardoise_storage_up") == 1

    board = create_board(server.url, "Métriques")
    alice = await join(server.url, clients, board, "participant", "alice")
    bob = await join(server.url, clients, board, "participant", "bob")
    for n in range(5):
        await alice.add_note(f"n{n}", f"idée {n}")
    await eventually(lambda: len(bob.notes()) == 5)

    def counted() -> bool:
        text = _scrape(server.url).text
        return _value(text, "ardoise_deliveries_total") >= 5

    await eventually(counted)
    text = _scrape(server.url).text
    assert _value(text, "ardoise_boards_loaded") == 1
    assert _value(text, "ardoise_connections") == 2
    assert _value(text, "ardoise_updates_total") >= 5
    assert _value(text, "ardoise_ack_seconds_count") >= 5
    assert _value(text, "ardoise_fanout_seconds_count") >= 1
    assert _value(text, "ardoise_commit_seconds_count") >= 1
    assert _value(text, "ardoise_storage_errors_total") == 0
    # Sampled four times a second from the start.
    assert _value(text, "ardoise_event_loop_lag_seconds_count") >= 1
    assert 'ardoise_ack_seconds_bucket{le="+Inf"}' in text

    # JSON logs: one object a line, the join code still redacted.
    code = board["joinCode"]
    assert httpx.get(f"{server.url}/api/join/{code}", timeout=10).status_code == 200

    def logged_the_lookup() -> bool:
        return any("/api/join/***" in line for line in server.log().splitlines())

    await eventually(logged_the_lookup)
    lines = [line for line in server.log().splitlines() if line.startswith("{")]
    assert lines, server.log()
    for line in lines:
        record = json.loads(line)
        assert {"time", "level", "logger", "message"} <= record.keys()
    assert code not in server.log()


def test_metrics_refuse_whoever_lacks_the_token(own_server) -> None:
    server = own_server(ARDOISE_METRICS_TOKEN=TOKEN, ARDOISE_TOKEN_FAILURES_PER_MINUTE="3")
    bare = httpx.get(f"{server.url}/metrics", timeout=10)
    assert bare.status_code == 401
    assert bare.json()["error"]["code"] == "unauthorized"
    for _ in range(3):
        wrong = _scrape(server.url, "x" * 43)
        assert wrong.status_code == 403
        assert wrong.json() == {"ok": False, "error": wrong.json()["error"]}
        assert "ardoise_" not in wrong.text
    # Guessing stops: past the budget even the right token waits.
    assert _scrape(server.url, "y" * 43).status_code == 429
    assert _scrape(server.url).status_code == 429


def test_metrics_are_not_served_without_the_setting(own_server) -> None:
    server = own_server()
    response = _scrape(server.url)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
