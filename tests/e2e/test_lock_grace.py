"""A lock that comes while someone is writing a note lets them finish their sentence (issue 22,
point 15; docs/protocol.md section 7.1, the lock's grace)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from tests.e2e.board_page import enter, link, notes
from tests.e2e.conftest import Person


def test_the_person_writing_sees_the_lock_and_may_finish_the_sentence(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Atelier verrouillé")
    camille, dominique = person(), person()
    enter(camille, link(board, "facilitator"), "Camille")
    enter(dominique, link(board, "participant"), "Dominique")
    page = dominique.page
    page.mouse.dblclick(400, 300)
    editor = page.locator(".note__editor")
    expect(editor).to_be_focused()
    page.keyboard.type("Je pense que")
    # Camille sees Dominique writing (the presence the server reads to grant the grace).
    expect(camille.page.locator(".note.is-remote-editing")).to_have_count(1)
    expect(notes(camille).first).to_contain_text("Je pense que")

    camille.page.get_by_role("button", name="Verrouiller").click()
    # Dominique is told, and keeps writing.
    expect(page.locator(".locked-banner")).to_be_visible()
    expect(page.get_by_text(re.compile("terminez votre phrase"))).to_be_visible()
    expect(editor).to_be_focused()
    expect(editor).to_have_class(re.compile(r"\bis-lock-grace\b"))
    dominique.screenshot("board-lock-grace")
    page.keyboard.type(" nous devrions")
    expect(notes(camille).first).to_contain_text("Je pense que nous devrions")
    # Then the editor closes by itself, and the board is read-only for Dominique.
    expect(editor).to_have_count(0, timeout=10_000)
    expect(page.locator(".board-screen")).to_have_class(re.compile(r"\bis-read-only\b"))
    # Everything was accepted: no refusal, the same text everywhere.
    expect(page.get_by_role("alert").filter(has_text="pas été enregistrée")).to_have_count(0)
    expect(notes(dominique).first).to_contain_text("Je pense que nous devrions")
    expect(notes(camille).first).to_contain_text("Je pense que nous devrions")
