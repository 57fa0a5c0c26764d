"""A lock that comes while someone is writing a note lets them finish their sentence (issue 22,
point 15; docs/protocol.md section 7.1, the lock's grace)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from tests.e2e.board_page import enter, link, notes
from tests.e2e.conftest import Person
from tests.e2e.test_viewport import PHONE


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


def test_the_person_writing_an_idea_in_the_list_view_may_send_it_after_the_lock(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    # Issue 22 (a gap left): the grace followed only a note being edited on the board; a lock
    # coming while someone typed in "Ajouter une idée" (the list view's, the phone's) lost it.
    board = new_board("Atelier verrouillé")
    camille, dominique = person(), person()
    enter(camille, link(board, "facilitator"), "Camille")
    enter(dominique, link(board, "participant"), "Dominique")
    page = dominique.page
    page.get_by_role("button", name="Liste").click()
    view = page.locator(".list-view")
    view.locator("summary").click()
    idea = view.get_by_label("Votre idée")
    idea.click()
    page.keyboard.type("Je pense que")

    camille.page.get_by_role("button", name="Verrouiller").click()
    expect(page.locator(".locked-banner")).to_be_visible()
    # Dominique is told, and may finish and send it.
    expect(view.locator(".idea__message")).to_contain_text("terminez votre phrase")
    expect(idea).to_be_enabled()
    expect(idea).to_be_focused()
    expect(idea).to_have_class(re.compile(r"\bis-lock-grace\b"))
    page.keyboard.type(" nous devrions")
    view.get_by_role("button", name="Ajouter au tableau").click()
    expect(notes(camille)).to_have_count(1)
    expect(notes(camille).first).to_contain_text("Je pense que nous devrions")
    # One note, then the form is read-only like the board.
    expect(idea).to_be_disabled()
    expect(page.get_by_role("alert").filter(has_text="pas été enregistrée")).to_have_count(0)
    expect(view.locator(".list-note")).to_have_count(1)


def test_an_empty_idea_form_gets_no_grace(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Atelier verrouillé")
    camille, dominique = person(), person()
    enter(camille, link(board, "facilitator"), "Camille")
    enter(dominique, link(board, "participant"), "Dominique")
    page = dominique.page
    page.get_by_role("button", name="Liste").click()
    view = page.locator(".list-view")
    view.locator("summary").click()
    view.get_by_label("Votre idée").click()
    camille.page.get_by_role("button", name="Verrouiller").click()
    expect(page.locator(".locked-banner")).to_be_visible()
    expect(view.get_by_label("Votre idée")).to_be_disabled()


def test_the_person_writing_an_idea_on_a_phone_keeps_the_form_through_the_lock(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    # The lock took the phone's "Ajouter une idée" away at once, with the idea being written.
    board = new_board("Atelier verrouillé", "meteo")
    camille, alex = person(), person(**PHONE)
    enter(camille, link(board, "facilitator"), "Camille")
    enter(alex, f"/j/{board['joinCode']}", "Alex")
    screen = alex.page.locator(".phone-screen")
    idea = screen.get_by_label("Votre idée")
    idea.click()
    alex.page.keyboard.type("Plus de")
    camille.page.get_by_role("button", name="Verrouiller").click()
    expect(screen.locator(".idea__message")).to_contain_text("terminez votre phrase")
    expect(screen).to_be_visible()
    expect(idea).to_be_focused()
    alex.page.keyboard.type(" soleil")
    screen.get_by_label("Où la poser ?").select_option(label="Éclaircies")
    screen.get_by_role("button", name="Ajouter au tableau").click()
    expect(notes(camille).filter(has_text="Plus de soleil")).to_have_count(1)
    # Sent: the phone shows the board, read-only, as the lock did to everyone else.
    expect(screen).to_be_hidden()
    expect(alex.page.locator(".board-screen")).to_have_class(re.compile(r"\bis-read-only\b"))
    expect(alex.page.get_by_role("alert").filter(has_text="pas été enregistrée")).to_have_count(0)
