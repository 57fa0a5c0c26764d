"""Finding one's way on a big board in a real browser (issue 23, item 7): the list of shortcuts on
`?` in both languages, and zooming to the selection by key, mouse and finger."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from tests.e2e.board_page import create_note_at, enter, link
from tests.e2e.conftest import Person
from tests.e2e.test_roles_and_views import PHONE

SHORTCUT_ROWS = 15  # web/src/board/shortcuts.ts


def test_the_question_mark_lists_every_shortcut_in_french_and_in_english(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Atelier")
    camille, sam = person(), person(locale="en-GB")
    enter(camille, link(board, "facilitator"), "Camille")
    enter(sam, link(board, "participant"), "Sam")
    for someone, title, row in (
        (camille, "Raccourcis clavier", "dupliquer les post-it sélectionnés"),
        (sam, "Keyboard shortcuts", "duplicate the selected notes"),
    ):
        page = someone.page
        page.locator(".board-canvas").focus()
        page.keyboard.press("?")
        dialog = page.get_by_role("dialog", name=title)
        expect(dialog).to_be_visible()
        expect(dialog.locator("tbody tr")).to_have_count(SHORTCUT_ROWS)
        expect(dialog.get_by_role("row", name=row)).to_contain_text("Ctrl+D")
        someone.screenshot(f"shortcuts-{'fr' if someone is camille else 'en'}")
        page.keyboard.press("Escape")
        expect(dialog).to_have_count(0)
    # The toolbar's "?" opens it too, for a mouse.
    camille.page.get_by_role("button", name="Raccourcis clavier").click()
    expect(camille.page.get_by_role("dialog", name="Raccourcis clavier")).to_be_visible()


def _zoom(someone: Person) -> str:
    return someone.page.locator(".toolbar__zoom").inner_text()


def _zoomed_in(someone: Person, above: int) -> None:
    """The zoom shown by the toolbar rises above `above` percent."""
    label = someone.page.locator(".toolbar__zoom")
    expect(label).not_to_have_text(f"{above} %")
    percent = int(label.inner_text().split()[0])
    assert percent > above, (percent, above)


def test_z_and_voir_la_selection_zoom_to_the_selected_notes(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Atelier")
    camille = person()
    enter(camille, link(board, "facilitator"), "Camille")
    create_note_at(camille, 200, 300, "Loin à gauche")
    create_note_at(camille, 1000, 500, "Loin à droite")
    page = camille.page
    page.get_by_role("button", name="Tout voir").click()
    before = _zoom(camille)
    page.locator(".notes-layer .note", has_text="Loin à droite").click()
    page.keyboard.press("z")
    _zoomed_in(camille, int(before.split()[0]) + 50)
    canvas = page.locator(".board-canvas").bounding_box()
    box = page.locator(".notes-layer .note", has_text="Loin à droite").bounding_box()
    assert canvas and box
    assert abs(box["x"] + box["width"] / 2 - (canvas["x"] + canvas["width"] / 2)) < 40, (
        box,
        canvas,
    )
    page.get_by_role("button", name="Tout voir").click()
    expect(page.locator(".toolbar__zoom")).to_have_text(before)
    page.get_by_role("button", name="Voir la sélection").click()
    _zoomed_in(camille, int(before.split()[0]) + 50)


def test_on_a_phone_a_tapped_note_is_one_tap_from_a_close_view(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Météo", "meteo")
    alex = person(**PHONE)
    enter(alex, f"/j/{board['joinCode']}", "Alex")
    page = alex.page
    screen = page.locator(".phone-screen")
    screen.get_by_label("Votre idée").fill("Du soleil")
    screen.get_by_role("button", name="Ajouter au tableau").click()
    page.get_by_role("button", name="Voir le tableau").click()
    page.locator(".notes-layer .note", has_text="Du soleil").tap()
    before = int(_zoom(alex).split()[0])
    page.get_by_role("button", name="Voir la sélection").tap()
    _zoomed_in(alex, before)
    alex.screenshot("wayfinding-phone-zoom-selection")


def test_the_overview_shows_everyones_notes_and_a_click_there_moves_the_view(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Météo", "meteo")
    camille, dominique = person(), person()
    enter(camille, link(board, "facilitator"), "Camille")
    enter(dominique, link(board, "participant"), "Dominique")
    page = camille.page
    overview = page.get_by_role("button", name=re.compile(r"^Vue d.ensemble du tableau"))
    expect(overview).to_be_visible()
    expect(overview.locator(".minimap__zone")).not_to_have_count(0)
    expect(overview.locator(".minimap__note")).to_have_count(0)
    # Dominique's new note shows in Camille's overview.
    create_note_at(dominique, 640, 420, "Vu de loin")
    expect(overview.locator(".minimap__note")).to_have_count(1)
    # Zoomed in, a click on the overview's corner takes the view there.
    page.locator(".board-canvas").focus()
    for _ in range(6):
        page.keyboard.press("+")
    frame = overview.locator(".minimap__view")
    before = frame.bounding_box()
    box = overview.bounding_box()
    assert before and box
    overview.click(position={"x": 12, "y": box["height"] - 12})
    after = frame.bounding_box()
    assert after
    assert after["x"] < before["x"] - 10 and after["y"] > before["y"] + 10, (before, after)
    camille.screenshot("wayfinding-overview")
    # Enter on the overview (no spot) shows everything, as "Tout voir".
    zoomed = _zoom(camille)
    overview.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".toolbar__zoom")).not_to_have_text(zoomed)


def test_a_phone_has_no_overview_over_its_small_board(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Météo", "meteo")
    alex = person(**PHONE)
    enter(alex, f"/j/{board['joinCode']}", "Alex")
    alex.page.get_by_role("button", name="Voir le tableau").click()
    # The overview is there (a wide screen shows it), but a phone's whole screen is the board.
    expect(alex.page.locator(".minimap")).to_have_count(1)
    expect(alex.page.locator(".minimap")).to_be_hidden()
