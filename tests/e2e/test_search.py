"""The search field in a real browser (issue 23, item 2): notes found by text, author, colour or
zone as one types, counted aloud, Enter goes to the next one, the filter dims the rest; each
person's search is their own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from tests.e2e.board_page import create_note_at, enter, link
from tests.e2e.conftest import Person


def test_notes_are_found_as_one_types_counted_and_visited_with_enter(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Atelier recherche")
    camille, dominique = person(), person()
    enter(camille, link(board, "facilitator"), "Camille")
    enter(dominique, link(board, "participant"), "Dominique")
    create_note_at(dominique, 300, 350, "Soleil du matin")
    create_note_at(dominique, 700, 350, "Pluie")
    create_note_at(camille, 300, 600, "Été ensoleillé")
    page = camille.page
    expect(page.locator(".notes-layer .note")).to_have_count(3)
    search = page.get_by_role("searchbox", name="Rechercher")
    status = page.locator(".search--board [role=status]")
    search.fill("soleil")
    expect(status).to_have_text("2 résultats")
    found = page.locator(".notes-layer .note.is-found")
    expect(found).to_have_count(2)
    # Someone else's new note that matches is found while the search is open.
    create_note_at(dominique, 1000, 350, "Soleil couchant")
    expect(status).to_have_text("3 résultats")
    # By author, by colour, by nothing.
    search.fill("dominique")
    expect(status).to_have_text("3 résultats")
    search.fill("jaune pluie")
    expect(status).to_have_text("1 résultat")
    search.fill("neige")
    expect(status).to_have_text("Aucun résultat")
    expect(found).to_have_count(0)
    # Enter brings each found note to the middle of the view in turn.
    search.fill("soleil")
    # Scrolled away first: the found notes are off screen.
    scroll = "el => el.dispatchEvent(new WheelEvent('wheel', {deltaY: 900}))"
    page.locator(".board-canvas").evaluate(scroll)
    search.press("Enter")
    current = page.locator(".notes-layer .note.is-found-current")
    expect(current).to_have_count(1)
    first = current.inner_text()
    canvas = page.locator(".board-canvas").bounding_box()
    box = current.bounding_box()
    assert canvas and box
    middle = canvas["x"] + canvas["width"] / 2
    assert abs(box["x"] + box["width"] / 2 - middle) < 120, (box, canvas)
    search.press("Enter")
    expect(current).not_to_have_text(first)
    # The filter dims every note not found.
    page.get_by_role("checkbox", name="Estomper les autres").check()
    expect(page.locator(".notes-layer .note.is-dimmed")).to_have_count(1)
    expect(page.locator(".notes-layer .note.is-dimmed .note__text")).to_have_text("Pluie")
    camille.screenshot("search-filter")
    # Dominique's screen is untouched by Camille's search.
    expect(dominique.page.locator(".notes-layer .note")).to_have_count(4)
    expect(dominique.page.locator(".notes-layer .note.is-found, .note.is-dimmed")).to_have_count(0)
    # Escape empties the field: nothing marked any more.
    search.press("Escape")
    expect(search).to_have_value("")
    expect(page.locator(".notes-layer .note.is-found, .note.is-dimmed")).to_have_count(0)


def test_the_search_speaks_english(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Workshop", "meteo")
    sam = person(locale="en-GB")
    enter(sam, link(board, "facilitator"), "Sam")
    create_note_at(sam, 640, 420, "Sunny spells")
    search = sam.page.get_by_role("searchbox", name="Search")
    search.fill("yellow")
    expect(sam.page.locator(".search--board [role=status]")).to_have_text("1 result")
    search.fill("sunny rain")
    expect(sam.page.locator(".search--board [role=status]")).to_have_text("No results")


def test_the_list_view_searches_and_filters_too(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Atelier recherche", "meteo")
    camille, dominique = person(), person()
    enter(camille, link(board, "facilitator"), "Camille")
    enter(dominique, link(board, "participant"), "Dominique")
    create_note_at(camille, 300, 450, "Soleil du matin")
    create_note_at(camille, 700, 450, "Pluie fine")
    page = dominique.page
    page.get_by_role("button", name="Liste").click()
    list_view = page.locator(".list-view")
    expect(list_view.locator(".list-note")).to_have_count(2)
    list_view.get_by_role("searchbox", name="Rechercher").fill("soleil")
    expect(list_view.locator(".search--list [role=status]")).to_have_text("1 résultat")
    expect(list_view.locator(".list-note.is-found")).to_have_count(1)
    list_view.get_by_label("Estomper les autres").check()
    expect(list_view.locator(".list-note:visible")).to_have_count(1)
    expect(list_view.locator(".list-note:visible .list-note__text")).to_have_text("Soleil du matin")
    # A new matching note from someone else appears, found.
    create_note_at(camille, 1000, 450, "Soleil couchant")
    expect(list_view.locator(".search--list [role=status]")).to_have_text("2 résultats")
    expect(list_view.locator(".list-note:visible")).to_have_count(2)
    dominique.screenshot("search-list-view")
