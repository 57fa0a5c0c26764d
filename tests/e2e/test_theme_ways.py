"""Themes every way in (issue 23: "mouse, touch and keyboard; French and English; the list view
too"): a note dropped on another, the `G` key, a theme left empty, the list view, and a phone."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Locator, Page, expect

from tests.e2e.board_page import create_note_at, enter, eventually, link, open_panel
from tests.e2e.conftest import Person
from tests.e2e.test_groups import group
from tests.e2e.test_note_ownership import EVERYONE_SWITCH, note
from tests.e2e.test_roles_and_views import PHONE, board_json


def drag_to(page: Page, source: Locator, x: float, y: float, by_corner: bool = False) -> None:
    """Drags a note by its centre (or near its bottom right corner, clear of the resize handle,
    when another note covers its centre) and lets go at the page point (x, y)."""
    box = source.bounding_box()
    assert box
    sx, sy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    if by_corner:
        sx, sy = box["x"] + box["width"] - 40, box["y"] + box["height"] - 30
    page.mouse.move(sx, sy)
    page.mouse.down()
    page.mouse.move((sx + x) / 2, (sy + y) / 2, steps=4)
    page.mouse.move(x, y, steps=4)
    page.mouse.up()


def corner(target: Locator, right: bool) -> tuple[float, float]:
    """A point just inside a note's top left (or bottom right) corner."""
    box = target.bounding_box()
    assert box
    if right:
        return box["x"] + box["width"] - 10, box["y"] + box["height"] - 10
    return box["x"] + 10, box["y"] + 10


def group_of(someone: Person, board: dict[str, Any], text: str) -> str | None:
    """The theme title of a note as the server has it (None outside any theme)."""
    data = board_json(someone, board)
    titles = {g["id"]: g["title"] for g in data["groups"]}
    found = [n for n in data["notes"] if n["text"] == text]
    assert len(found) == 1, data["notes"]
    group_id = found[0].get("groupId")
    return None if group_id is None else titles[group_id]


def test_a_note_dropped_on_another_makes_a_theme_joins_one_and_leaves_it_dragged_out(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Thèmes")
    alice, bob = person(), person()
    enter(alice, link(board, "participant"), "Alice")
    enter(bob, link(board, "participant"), "Bob")
    create_note_at(alice, 300, 300, "vélo")
    create_note_at(alice, 700, 300, "tram")
    create_note_at(alice, 300, 600, "bus")
    expect(bob.page.locator(".notes-layer .note")).to_have_count(3)
    page = alice.page

    # "tram" dropped on "vélo": a new theme of the two, its title field open at once.
    drag_to(page, note(alice, "tram"), *corner(note(alice, "vélo"), right=True))
    title = page.get_by_role("textbox", name="Titre du thème")
    expect(title).to_be_focused()
    title.fill("Mobilité")
    title.press("Enter")
    expect(group(bob, "Mobilité").locator(".group__count")).to_have_text("2 post-it")

    # "bus" dropped on a note of the theme joins it.
    drag_to(page, note(alice, "bus"), *corner(note(alice, "vélo"), right=False))
    expect(group(bob, "Mobilité").locator(".group__count")).to_have_text("3 post-it")
    alice.screenshot("theme-dropped-in")

    # Dragged out of the theme's frame, onto the empty board: it leaves the theme.
    drag_to(page, note(alice, "bus"), 1000, 650)
    expect(group(bob, "Mobilité").locator(".group__count")).to_have_text("2 post-it")
    eventually(lambda: group_of(bob, board, "bus") is None, what="bus out of the theme")
    # Ctrl+Z takes the move back, and with it the note's leaving.
    page.keyboard.press("Control+z")
    expect(group(bob, "Mobilité").locator(".group__count")).to_have_text("3 post-it")
    eventually(lambda: group_of(bob, board, "bus") == "Mobilité", what="bus back in the theme")

    # Moved a little, inside the theme's frame: a note stays in its theme.
    before = rect_of(bob, board, "tram")
    box = note(alice, "tram").bounding_box()
    assert box
    drag_to(page, note(alice, "tram"), box["x"] + box["width"] / 2 - 40, box["y"] + 30)
    eventually(lambda: rect_of(bob, board, "tram") != before, what="tram moved")
    assert group_of(bob, board, "tram") == "Mobilité"
    expect(group(bob, "Mobilité").locator(".group__count")).to_have_text("3 post-it")


def rect_of(someone: Person, board: dict[str, Any], text: str) -> list[float]:
    """A note's rectangle as the server has it."""
    notes = board_json(someone, board)["notes"]
    rect: list[float] = next(n["rect"] for n in notes if n["text"] == text)
    return rect


def test_g_groups_the_selection_and_the_shortcuts_list_it_in_english(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Themes")
    alex = person(locale="en-GB")
    enter(alex, link(board, "participant"), "Alex")
    create_note_at(alex, 300, 300, "bike")
    create_note_at(alex, 600, 300, "tram")
    page = alex.page
    note(alex, "bike").click()
    note(alex, "tram").click(modifiers=["Shift"])
    page.keyboard.press("g")
    title = page.get_by_role("textbox", name="Theme title")
    expect(title).to_be_focused()
    title.fill("Getting about")
    title.press("Enter")
    expect(group(alex, "Getting about").locator(".group__count")).to_have_text("2 sticky notes")
    eventually(
        lambda: [g["title"] for g in board_json(alex, board)["groups"]] == ["Getting about"],
        what="the theme stored",
    )
    # Nothing selected: G makes nothing.
    page.keyboard.press("Escape")
    page.keyboard.press("g")
    expect(page.get_by_role("textbox", name="Theme title")).to_have_count(0)
    page.keyboard.press("?")
    row = page.get_by_role("dialog").get_by_role("row", name="group the selected notes")
    expect(row.locator("kbd")).to_have_text("G")


def test_a_theme_left_empty_says_so_comes_back_with_ctrl_z_and_is_deleted(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Thèmes")
    alice, bob = person(), person()
    enter(alice, link(board, "participant"), "Alice")
    enter(bob, link(board, "participant"), "Bob")
    create_note_at(alice, 300, 300, "vélo")
    create_note_at(alice, 800, 300, "tram")
    page = alice.page
    note(alice, "vélo").click()
    page.keyboard.press("g")
    page.get_by_role("textbox", name="Titre du thème").fill("Vélo")
    page.keyboard.press("Enter")
    expect(group(bob, "Vélo").locator(".group__count")).to_have_text("1 post-it")

    # Its one note dropped on "tram" (a new theme): "Vélo" is left empty, and says so.
    drag_to(page, note(alice, "vélo"), *corner(note(alice, "tram"), right=True))
    page.get_by_role("textbox", name="Titre du thème").press("Enter")
    expect(page.locator(".toast", has_text="Le thème « Vélo » est vide")).to_contain_text("Ctrl+Z")
    empty = group(bob, "Vélo")
    expect(empty).to_have_class(re.compile(r"\bis-empty\b"))
    expect(empty.locator(".group__count")).to_have_text("vide")
    expect(group(alice, "Vélo").get_by_role("button", name="Supprimer le thème")).to_be_visible()
    bob.screenshot("theme-empty")

    # Ctrl+Z puts the note back in it, where it was.
    page.keyboard.press("Control+z")
    expect(group(bob, "Vélo").locator(".group__count")).to_have_text("1 post-it")
    expect(group(bob, "Thème").locator(".group__count")).to_have_text("1 post-it")
    expect(group(bob, "Vélo")).not_to_have_class(re.compile(r"\bis-empty\b"))

    # Emptied again, then a note dropped on its card fills it again.
    drag_to(page, note(alice, "vélo"), *corner(note(alice, "tram"), right=True))
    expect(group(bob, "Vélo")).to_have_class(re.compile(r"\bis-empty\b"))
    card = group(alice, "Vélo").bounding_box()
    seen = group(bob, "Vélo").bounding_box()
    assert card and seen
    middle = (card["x"] + card["width"] / 2, card["y"] + card["height"] / 2)
    drag_to(page, note(alice, "vélo"), *middle, by_corner=True)  # tram covers its centre
    expect(group(bob, "Vélo").locator(".group__count")).to_have_text("1 post-it")
    eventually(lambda: group_of(bob, board, "vélo") == "Vélo", what="vélo back in Vélo")
    # The note went into the card's place: the theme's frame starts where the card was.
    frame = group(bob, "Vélo").bounding_box()
    assert frame and abs(frame["x"] - seen["x"]) < 2 and abs(frame["y"] - seen["y"]) < 2

    # Emptied once more, its maker deletes it: gone for everyone.
    drag_to(page, note(alice, "vélo"), *corner(note(alice, "tram"), right=True))
    expect(group(bob, "Vélo")).to_have_class(re.compile(r"\bis-empty\b"))
    group(alice, "Vélo").get_by_role("button", name="Supprimer le thème").click()
    expect(bob.page.locator(".group__title", has_text="Vélo")).to_have_count(0)
    expect(group(bob, "Thème").locator(".group__count")).to_have_text("2 post-it")


def test_the_list_view_shows_themes_and_a_facilitator_renames_and_folds_with_the_keyboard(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Thèmes")
    alice, fa = person(), person()
    enter(alice, link(board, "participant"), "Alice")
    enter(fa, link(board, "facilitator"), "Fa")
    create_note_at(alice, 300, 300, "vélo")
    create_note_at(alice, 600, 300, "tram")
    create_note_at(alice, 300, 600, "jardin")
    note(alice, "vélo").click()
    note(alice, "tram").click(modifiers=["Shift"])
    alice.page.keyboard.press("g")
    alice.page.get_by_role("textbox", name="Titre du thème").fill("Mobilité <b>douce</b>")
    alice.page.keyboard.press("Enter")
    open_panel(fa.page)
    fa.page.get_by_label("Vote secret").uncheck()
    fa.page.get_by_role("button", name="Ouvrir le vote").click()
    group_id = group(alice, "Mobilité").get_attribute("data-group")
    group(alice, "Mobilité").locator(f'[data-vote="{group_id}"]').click()

    # The facilitator opens the list with the keyboard: the theme is a heading over its notes.
    page = fa.page
    page.get_by_role("button", name="Liste").focus()
    page.keyboard.press("Enter")
    theme = page.locator(".list-view .list-theme")
    heading = theme.get_by_role("heading", level=3)
    expect(heading).to_have_text("Thème : Mobilité <b>douce</b> (2 post-it)")
    expect(theme.get_by_role("list")).to_have_accessible_name(re.compile("Mobilité"))
    expect(theme.locator(".list-note")).to_have_text([re.compile("vélo"), re.compile("tram")])
    expect(page.locator(".list-view .list-note", has_text="jardin")).to_have_count(1)
    expect(theme.locator(".list-note", has_text="jardin")).to_have_count(0)
    expect(theme.locator(".list-theme__votes [data-votes]")).to_have_attribute("data-votes", "1")
    assert page.locator(".list-view b").count() == 0
    # The list's search field stays above everything it searches, themes included.
    search = page.locator(".list-view").get_by_role("searchbox").bounding_box()
    first = theme.bounding_box()
    assert search and first and search["y"] < first["y"], (search, first)
    fa.screenshot("list-view-themes")

    # Renamed with the keyboard: Enter on "Renommer", type, Enter; Alice's board follows.
    rename = theme.get_by_role("button", name="Renommer le thème : Mobilité <b>douce</b>")
    rename.focus()
    page.keyboard.press("Enter")
    field = theme.get_by_role("textbox", name="Titre du thème")
    expect(field).to_be_focused()
    page.keyboard.press("Control+a")
    page.keyboard.type("Se déplacer")
    page.keyboard.press("Enter")
    expect(group(alice, "Se déplacer")).to_be_visible()
    expect(heading).to_have_text("Thème : Se déplacer (2 post-it)")
    expect(theme.get_by_role("button", name="Renommer le thème : Se déplacer")).to_be_focused()

    # Folded from the list (Tab to "Replier", Enter): folded on Alice's board, hidden in the list.
    page.keyboard.press("Tab")
    expect(theme.get_by_role("button", name="Replier le thème")).to_be_focused()
    page.keyboard.press("Enter")
    expect(group(alice, "Se déplacer")).to_have_class(re.compile(r"\bis-folded\b"))
    expect(heading).to_contain_text("(replié : ses post-it sont cachés)")
    expect(theme.locator(".list-note", has_text="vélo")).to_be_hidden()
    expect(theme.get_by_role("button", name="Déplier le thème")).to_be_focused()

    # Alice folds it back on her board: the list shows the notes again.
    group(alice, "Se déplacer").get_by_role("button", name="Déplier le thème").click()
    expect(theme.locator(".list-note", has_text="vélo")).to_be_visible()
    # With the keyboard, a note is taken out of its theme: under its zone, the focus with it.
    leave = theme.get_by_role("button", name="Retirer du thème le post-it : vélo")
    leave.focus()
    page.keyboard.press("Enter")
    expect(group(alice, "Se déplacer").locator(".group__count")).to_have_text("1 post-it")
    moved = page.locator(".list-view .list-zone:not(.list-theme) .list-note", has_text="vélo")
    expect(moved.get_by_role("button", name="Modifier le post-it : vélo")).to_be_focused()
    expect(heading).to_have_text("Thème : Se déplacer (1 post-it)")
    expect(moved.get_by_role("button", name=re.compile("Retirer du thème"))).to_have_count(0)
    # A note taken out of the theme goes back under its zone.
    alice.page.get_by_role("button", name="Dégrouper").click()
    expect(page.locator(".list-view .list-theme")).to_have_count(0)
    expect(page.locator(".list-view .list-note")).to_have_count(3)
    # A theme made while the list is open shows at once, its note under it.
    note(alice, "jardin").click()
    alice.page.keyboard.press("g")
    alice.page.keyboard.press("Enter")
    expect(page.locator(".list-view .list-theme .list-note")).to_have_text([re.compile("jardin")])


def test_a_phone_shows_a_theme_legibly_with_big_controls_and_lists_its_notes(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Thèmes")
    fa = person(viewport={"width": 1600, "height": 900})
    enter(fa, link(board, "facilitator"), "Fa")
    # Far apart: the phone's fit shrinks the board well below 100 %.
    create_note_at(fa, 200, 300, "vélo")
    create_note_at(fa, 500, 300, "tram")
    create_note_at(fa, 1400, 700, "jardin")
    note(fa, "vélo").click()
    note(fa, "tram").click(modifiers=["Shift"])
    fa.page.keyboard.press("g")
    fa.page.get_by_role("textbox", name="Titre du thème").fill("Mobilité")
    fa.page.keyboard.press("Enter")

    # Everyone may change every note and theme: a participant's phone shows the theme's controls.
    open_panel(fa.page)
    switch = fa.page.get_by_role("switch", name=EVERYONE_SWITCH)
    switch.click()
    expect(switch).to_have_attribute("aria-checked", "true")

    alex = person(**PHONE, locale="en-GB")
    enter(alex, link(board, "participant"), "Alex")
    page = alex.page
    page.get_by_role("button", name="See the board").tap()
    theme = group(alex, "Mobilité")
    zoom = int((page.locator(".toolbar__zoom").text_content() or "0").strip(" %"))
    assert zoom < 60, zoom
    # The title is legible (16 screen pixels), the fold button a finger's size (44 px).
    size = theme.locator(".group__title").evaluate(
        "el => parseFloat(getComputedStyle(el).fontSize) * el.getBoundingClientRect().height"
        " / el.offsetHeight"
    )
    assert size >= 15.5, size
    fold = theme.get_by_role("button", name="Fold the theme")
    box = fold.bounding_box()
    assert box and box["width"] >= 43.5 and box["height"] >= 43.5, box
    alex.screenshot("phone-theme")
    fold.tap()
    expect(group(fa, "Mobilité")).to_have_class(re.compile(r"\bis-folded\b"))
    expect(page.locator(".notes-layer .note", has_text="vélo")).to_be_hidden()
    alex.screenshot("phone-theme-folded")
    unfold = group(alex, "Mobilité").get_by_role("button", name="Unfold the theme")
    box = unfold.bounding_box()
    assert box and box["width"] >= 43.5 and box["height"] >= 43.5, box
    unfold.tap()
    expect(page.locator(".notes-layer .note", has_text="vélo")).to_be_visible()

    # Its notes, listed under it, in the list view.
    page.get_by_role("button", name="List").tap()
    listed = page.locator(".list-view .list-theme")
    expect(listed.get_by_role("heading", level=3)).to_have_text("Theme: Mobilité (2 sticky notes)")
    expect(listed.locator(".list-note")).to_have_count(2)
    for button in listed.locator(".list-theme__actions button").all():
        button_box = button.bounding_box()
        assert button_box and button_box["height"] >= 43.5, button_box
