"""Roles, the phone screen, the list view and the projector view, in a real browser."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from playwright.sync_api import expect

from tests.e2e.board_page import create_note_at, enter, eventually, link, notes
from tests.e2e.conftest import Person

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}


def board_json(someone: Person, board: dict[str, Any]) -> dict[str, Any]:
    response = httpx.get(
        f"{someone.base_url}/api/boards/{board['id']}",
        headers={"Authorization": f"Bearer {board['tokens']['facilitator']}"},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_a_phone_participant_adds_an_idea_through_the_simple_screen(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Météo", "meteo")
    alex = person(**PHONE)
    enter(alex, f"/j/{board['joinCode']}", "Alex")
    page = alex.page
    screen = page.locator(".phone-screen")
    expect(screen).to_be_visible()
    screen.get_by_label("Votre idée").fill("Réveillé par le soleil")
    screen.locator("label[for=phone-color-green]").click()
    screen.get_by_label("Où la poser ?").select_option(label="Éclaircies")
    alex.screenshot("phone-add-idea")
    screen.get_by_role("button", name="Ajouter au tableau").click()
    expect(screen.get_by_role("status")).to_have_text("Idée ajoutée dans « Éclaircies ».")
    expect(screen.get_by_label("Votre idée")).to_have_value("")

    # It landed in that zone, in that colour, with the author's name: the server says so.
    def landed() -> bool:
        return any(n["text"] == "Réveillé par le soleil" for n in board_json(alex, board)["notes"])

    eventually(landed, what="the idea reaches the server")
    saved = board_json(alex, board)["notes"]
    note = next(n for n in saved if n["text"] == "Réveillé par le soleil")
    assert note["zone"] == "eclaircies"
    assert note["color"] == "green"
    assert note["author"] == "Alex"

    # And the board is one tap away.
    page.get_by_role("button", name="Voir le tableau").click()
    expect(page.locator(".board-canvas")).to_be_visible()
    expect(notes(alex)).to_have_count(1)
    alex.screenshot("phone-board")


def test_the_list_view_reads_zone_by_zone_and_works_with_the_keyboard(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Météo", "meteo")
    camille, dominique = person(), person()
    enter(camille, link(board, "participant"), "Camille")
    enter(dominique, link(board, "participant"), "Dominique")
    # Dominique's own note: she edits it from the list view below (participants change their own
    # notes only, by default).
    create_note_at(dominique, 150, 450, "Au soleil")
    create_note_at(camille, 1120, 450, "Sous l'orage")
    page = dominique.page
    page.get_by_role("button", name="Liste").click()
    view = page.locator(".list-view")
    expect(view.get_by_role("heading", name="Le tableau en liste")).to_be_focused()
    sun = view.locator("section[data-zone=soleil]")
    expect(sun.get_by_role("heading")).to_contain_text("Grand soleil")
    expect(sun.locator(".list-note__text")).to_have_text("Au soleil")
    expect(view.locator("section[data-zone=orage] .list-note__text")).to_have_text("Sous l'orage")

    # Live: a note added on the canvas by someone else appears in its section.
    create_note_at(camille, 640, 450, "Couvert")
    expect(view.locator("section[data-zone=nuageux] .list-note__text")).to_have_text("Couvert")

    # Edit with the keyboard only: Tab to "Modifier", Enter, type, Escape.
    edit = sun.get_by_role("button", name="Modifier le post-it : Au soleil")
    edit.focus()
    page.keyboard.press("Enter")
    editor = sun.locator(".list-note__editor")
    expect(editor).to_be_focused()
    page.keyboard.press("End")
    page.keyboard.type(" radieux")
    page.keyboard.press("Escape")
    expect(sun.locator(".list-note__text")).to_have_text("Au soleil radieux")
    expect(camille.page.locator(".notes-layer")).to_contain_text("Au soleil radieux")

    # Add an idea from the list view, into a chosen zone.
    view.locator("summary").click()
    view.get_by_label("Votre idée").fill("Bruine")
    view.get_by_label("Où la poser ?").select_option(label="Pluie")
    view.get_by_role("button", name="Ajouter au tableau").click()
    expect(view.locator("section[data-zone=pluie] .list-note__text")).to_have_text("Bruine")
    page.locator(".list-view h2").scroll_into_view_if_needed()
    dominique.screenshot("list-view")


def test_the_observer_view_is_read_only_and_suits_a_projector(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Rétrospective", "meteo")
    camille, screen = person(), person(viewport={"width": 1600, "height": 900})
    enter(camille, link(board, "facilitator"), "Camille")
    enter(screen, link(board, "observer"), None)  # a projector is not asked for a name
    for x, text in ((150, "Énergie"), (500, "Bonne ambiance"), (900, "Trop de réunions")):
        create_note_at(camille, x, 450, text)
    expect(notes(screen)).to_have_count(3)
    page = screen.page
    expect(page.locator(".board-screen")).to_contain_class("is-projector")
    expect(page.locator(".toolbar")).to_be_hidden()
    expect(page.locator(".role-badge")).to_have_text("Lecture seule")
    # Nothing to edit: no editor opens, no note can be added.
    page.locator(".note").first.dblclick()
    page.mouse.dblclick(1400, 800)
    page.keyboard.press("n")
    expect(page.locator(".note__editor")).to_have_count(0)
    expect(notes(screen)).to_have_count(3)
    # Large text on the projector.
    size = page.locator(".note").first.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert size >= 20
    # The observer is not listed among the people present.
    expect(camille.page.locator(".presence__count")).to_have_text("1 présent")
    page.wait_for_timeout(800)  # let the projector fit the board after the last note
    screen.screenshot("observer-projector")


def test_a_locked_board_is_read_only_for_participants(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Verrou", "meteo")
    camille, dominique = person(), person()
    enter(camille, link(board, "facilitator"), "Camille")
    enter(dominique, link(board, "participant"), "Dominique")
    create_note_at(dominique, 400, 450, "Avant le verrou")
    expect(notes(camille)).to_have_count(1)

    camille.page.get_by_role("button", name="Verrouiller").click()
    expect(camille.page.get_by_role("button", name="Déverrouiller")).to_be_visible()
    page = dominique.page
    expect(page.locator(".locked-banner")).to_contain_text("verrouillé")
    expect(page.get_by_role("status").filter(has_text="verrouillé le tableau")).to_be_visible()
    expect(page.locator(".toolbar .button--primary")).to_be_hidden()
    # Every way of writing is closed: double-click, the N shortcut, editing, moving, deleting.
    page.mouse.dblclick(900, 450)
    page.keyboard.press("n")
    note = notes(dominique).first
    note.dblclick()
    expect(page.locator(".note__editor")).to_have_count(0)
    note.focus()
    page.keyboard.press("Delete")
    page.keyboard.press("ArrowRight")
    box = note.bounding_box()
    note.hover()
    page.mouse.down()
    page.mouse.move(700, 600, steps=5)
    page.mouse.up()
    assert note.bounding_box() == box
    expect(notes(dominique)).to_have_count(1)
    page.get_by_role("button", name="Liste").click()
    expect(page.locator(".list-note__actions button")).to_have_count(0)
    page.get_by_role("button", name="Tableau", exact=True).click()
    dominique.screenshot("locked-board-participant")
    # The facilitator still writes, and the participant sees it.
    create_note_at(camille, 900, 450, "Après le verrou")
    expect(notes(dominique)).to_have_count(2)
    # Unlocked: the participant writes again.
    camille.page.get_by_role("button", name="Déverrouiller").click()
    expect(page.locator(".locked-banner")).to_be_hidden()
    create_note_at(dominique, 1100, 300, "Libre")
    expect(notes(camille)).to_have_count(3)
