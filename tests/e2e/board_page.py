"""What a person does on the board screen, in the words of the UI (shared by the e2e tests)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import Person


def link(board: dict[str, Any], role: str) -> str:
    """A board link as the server gave it, made relative to the test server (same origin)."""
    url: str = board["links"][role]
    return re.sub(r"^https?://[^/]+", "", url)


def enter(someone: Person, path: str, name: str | None = "Camille") -> None:
    """Open a link; give a name when asked; wait until the board is loaded and online."""
    page = someone.page
    page.goto(path)
    if name is not None:
        page.locator("#name-input").fill(name)
        page.locator("#name-input").press("Enter")
        expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.locator(".loading")).to_be_hidden()
    expect(page.locator(".status")).to_have_attribute("data-kind", "online")


def notes(someone: Person) -> Locator:
    return someone.page.locator(".notes-layer .note")


def note_id(someone: Person, text: str) -> str:
    """The id of the one note on someone's board that shows `text`."""
    note = someone.page.locator(".notes-layer .note", has_text=text)
    expect(note).to_have_count(1)
    value = note.get_attribute("data-note")
    assert value
    return value


def note_texts(someone: Person) -> list[str]:
    texts = someone.page.locator(".notes-layer .note__text").all_text_contents()
    return [text.strip() for text in texts]


def create_note_at(someone: Person, x: float, y: float, text: str) -> None:
    """Double-click the empty board, type, and click away (the note is ready for typing)."""
    page = someone.page
    page.mouse.dblclick(x, y)
    editor = page.locator(".note__editor")
    expect(editor).to_be_focused()
    page.keyboard.type(text)
    page.keyboard.press("Escape")
    expect(editor).to_have_count(0)


def open_panel(page: Page) -> None:
    """The facilitator's side panel ("Animation")."""
    page.get_by_role("button", name="Animation").click()
    expect(page.locator("#facilitation-panel")).to_be_visible()


def save_meteo_as_template(page: Page, title: str) -> None:
    """From the home page: a "météo" board titled `title`, opened as Camille, its layout saved as
    the template "Notre météo" from the facilitator's panel."""
    page.goto("/")
    page.get_by_label("Titre du tableau").fill(title)
    page.locator("label[for=template-meteo]").click()
    page.get_by_role("button", name="Créer le tableau").click()
    page.locator("[data-open-board]").click()
    page.locator("#name-input").fill("Camille")
    page.locator("#name-input").press("Enter")
    expect(page.locator(".zone")).to_have_count(5)
    open_panel(page)
    page.get_by_label("Nom du modèle").fill("Notre météo")
    page.get_by_role("button", name="Enregistrer le modèle").click()


def wait_saved(someone: Person) -> None:
    expect(someone.page.locator(".status")).to_have_attribute("data-kind", "online")


def eventually(predicate: Callable[[], bool], timeout: float = 10.0, what: str = "") -> None:
    """Poll a condition outside the page (e.g. the HTTP API) until it holds or time is up."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"not true after {timeout}s: {what or predicate}")
        time.sleep(0.05)
