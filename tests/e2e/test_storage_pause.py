"""When the server cannot store (its SQLite database locked by another program), the person's note
is kept, the status says saving is paused, and it is saved by itself once storage is back."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.board_page import create_note_at, enter, eventually, link, notes
from tests.e2e.conftest import Person
from tests.support.server_process import SHARED_SERVER_ENV, ServerProcess


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[ServerProcess]:
    server = ServerProcess(
        tmp_path, f"sqlite+aiosqlite:///{tmp_path / 'pause.sqlite3'}", SHARED_SERVER_ENV
    ).start()
    yield server
    server.stop()


def stored_texts(server: ServerProcess, board: dict) -> list[str]:
    token = board["tokens"]["facilitator"]
    response = httpx.get(
        f"{server.url}/api/boards/{board['id']}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return [note["text"] for note in response.json()["notes"]]


def test_saving_pauses_while_the_database_is_locked_and_resumes_by_itself(
    browser: Browser, own_server: ServerProcess
) -> None:
    board = httpx.post(
        f"{own_server.url}/api/boards", json={"title": "Panne", "locale": "fr"}, timeout=10
    ).json()
    context = browser.new_context(
        base_url=own_server.url, viewport={"width": 1280, "height": 800}, locale="fr-FR"
    )
    context.set_default_timeout(10_000)
    contexts = [context]
    camille = Person(context, context.new_page(), own_server.url)
    try:
        enter(camille, link(board, "participant"), "Camille")
        status = camille.page.locator(".status")
        other = sqlite3.connect(own_server.data_dir / "pause.sqlite3", isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")  # e.g. a backup tool that holds the database
        create_note_at(camille, 400, 300, "Écrite pendant la panne")
        # The server waits for the lock 10 s, then answers `unavailable`: saving is paused.
        expect(status).to_have_attribute("data-kind", "paused", timeout=25_000)
        expect(status).to_contain_text("Enregistrement en pause")
        expect(status).to_contain_text("vos modifications sont gardées")
        camille.screenshot("board-saving-paused")
        expect(notes(camille)).to_have_count(1)  # kept on the screen
        # Someone who opens the board now is told the same, and joins by itself afterwards.
        dominique_context = browser.new_context(
            base_url=own_server.url, viewport={"width": 1280, "height": 800}, locale="fr-FR"
        )
        contexts.append(dominique_context)
        dominique = Person(dominique_context, dominique_context.new_page(), own_server.url)
        dominique.page.goto(link(board, "participant"))
        late_status = dominique.page.locator(".status")
        expect(late_status).to_have_attribute("data-kind", "paused")
        expect(late_status).to_contain_text("Enregistrement en pause")
        dominique.screenshot("board-join-while-storage-fails")
        other.execute("ROLLBACK")
        other.close()
        # Back by itself (the next retry), and the note is stored.
        expect(status).to_have_attribute("data-kind", "online", timeout=25_000)
        eventually(
            lambda: stored_texts(own_server, board) == ["Écrite pendant la panne"],
            what="the note is stored",
        )
        # The connection is tried again every 5 s or so.
        expect(late_status).to_have_attribute("data-kind", "online", timeout=20_000)
        expect(notes(dominique)).to_have_count(1)
        assert camille.errors == [] and dominique.errors == []
    finally:
        for each in contexts:
            each.close()


def test_the_open_trash_shows_a_deletion_stored_after_it_reached_the_screen(
    browser: Browser, own_server: ServerProcess
) -> None:
    """A deletion reaches every screen at once, its trash entry is stored a moment later (here
    after a backup tool's short lock): a trash opened in between shows the note once it is there,
    with nothing more happening on the board."""
    board = httpx.post(
        f"{own_server.url}/api/boards", json={"title": "Corbeille", "locale": "fr"}, timeout=10
    ).json()
    context = browser.new_context(
        base_url=own_server.url, viewport={"width": 1280, "height": 800}, locale="fr-FR"
    )
    context.set_default_timeout(10_000)
    camille = Person(context, context.new_page(), own_server.url)
    try:
        enter(camille, link(board, "participant"), "Camille")
        create_note_at(camille, 400, 300, "À retrouver")
        expect(camille.page.locator(".status")).to_have_attribute("data-kind", "online")
        other = sqlite3.connect(own_server.data_dir / "pause.sqlite3", isolation_level=None)
        try:
            other.execute("BEGIN EXCLUSIVE")  # shorter than SQLite's 10-s wait: only a delay
            notes(camille).first.click()
            camille.page.keyboard.press("Delete")
            expect(notes(camille)).to_have_count(0)
            camille.page.get_by_role("button", name="Corbeille").click()
            panel = camille.page.locator("#trash-panel")
            expect(panel).to_contain_text("Aucun post-it supprimé.")  # not stored yet
        finally:
            other.execute("ROLLBACK")
            other.close()
        expect(panel.locator(".recovery__item")).to_have_count(1)
        expect(panel.locator(".recovery__text")).to_have_text("À retrouver")
        assert camille.errors == []
    finally:
        context.close()
