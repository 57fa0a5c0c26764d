"""The report says what the Ardoise under test promises, as the settings it starts with read."""

from __future__ import annotations

from pathlib import Path

from bench.servers import ArdoiseServer


def test_a_full_sync_is_reported_as_durable(tmp_path: Path) -> None:
    server = ArdoiseServer(tmp_path, extra_env={"ARDOISE_SQLITE_SYNC": "full"})
    assert "synchronous=FULL" in server.persistence
    assert server.ack_meaning == "after the update is durably committed"


def test_a_normal_sync_is_reported_as_such(tmp_path: Path) -> None:
    server = ArdoiseServer(tmp_path, extra_env={"ARDOISE_SQLITE_SYNC": "normal"})
    assert "synchronous=NORMAL" in server.persistence
    assert "not a power cut" in server.ack_meaning
