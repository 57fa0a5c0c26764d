"""The colour legend in the browser: the facilitator names colours (toolbar, "Animation"), and the
others see the names on the palette, in the phone form and in the list view, as text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from tests.e2e.board_page import create_note_at, enter, eventually, link
from tests.e2e.conftest import Person
from tests.e2e.test_roles_and_views import PHONE, board_json

HOSTILE = "<img src=x onerror=alert(1)>frein"


def open_legend(page: Page) -> None:
    """The facilitator's "Animation" panel holds the legend (the toolbar holds on one line)."""
    animation = page.get_by_role("button", name="Animation")
    if animation.get_attribute("aria-expanded") != "true":
        animation.click()
    page.get_by_role("button", name="Légende", exact=True).click()


def test_facilitator_names_colours_and_everyone_sees_the_names_as_text(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Légende")
    camille, dominique = person(), person()
    enter(camille, link(board, "facilitator"), "Camille")
    enter(dominique, link(board, "participant"), "Dominique")
    expect(dominique.page.get_by_role("button", name="Légende")).to_have_count(0)

    # The facilitator, with the keyboard: Enter saves a field, Tab leaving one saves it too.
    page = camille.page
    open_legend(page)
    dialog = page.get_by_role("dialog", name="Légende des couleurs")
    expect(dialog).to_be_visible()
    yellow = dialog.get_by_label("Jaune")
    expect(yellow).to_be_focused()
    yellow.fill("idée")
    yellow.press("Enter")
    dialog.get_by_label("Rose").fill(HOSTILE)
    dialog.get_by_label("Rose").press("Tab")
    dialog.get_by_label("Bleu").fill("x" * 80)  # the field holds 60 characters
    dialog.get_by_label("Bleu").press("Enter")
    camille.screenshot("legend-dialog")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)

    # The participant sees the names on the palette, live, as text.
    other = dominique.page
    swatch = other.locator('.palette .swatch[data-color="yellow"]')
    expect(swatch).to_have_attribute("title", "Jaune : idée")
    expect(swatch).to_have_text("idée")
    pink = other.locator('.palette .swatch[data-color="pink"]')
    expect(pink).to_have_text(HOSTILE)
    expect(pink).to_have_accessible_name(f"Rose : {HOSTILE}")
    expect(other.locator('.palette .swatch[data-color="blue"]')).to_have_text("x" * 60)
    expect(other.locator('.palette .swatch[data-color="green"]')).to_have_attribute("title", "Vert")
    assert other.locator("img").count() == 0
    dominique.screenshot("legend-palette")
    eventually(
        lambda: (
            board_json(camille, board)["legend"]
            == {"yellow": "idée", "pink": HOSTILE, "blue": "x" * 60}
        ),
        what="the legend stored on the server",
    )

    # The list view says what a note's colour means.
    create_note_at(dominique, 400, 400, "Un café mensuel")
    other.get_by_role("button", name="Liste").click()
    meta = other.locator(".list-view .list-note__meta")
    expect(meta).to_have_text("Jaune : idée, par Dominique")

    # The facilitator unnames a colour: gone for the others at once.
    open_legend(page)
    page.get_by_role("dialog").get_by_label("Jaune").fill("")
    page.get_by_role("dialog").get_by_label("Jaune").press("Enter")
    page.keyboard.press("Escape")
    expect(meta).to_have_text("Jaune, par Dominique")
    expect(swatch).to_have_attribute("title", "Jaune")


def test_phone_form_shows_the_legend_in_the_persons_language(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Légende")
    camille = person()
    enter(camille, link(board, "facilitator"), "Camille")
    open_legend(camille.page)
    field = camille.page.get_by_role("dialog").get_by_label("Vert")
    field.fill("<b>solution</b>")
    field.press("Enter")

    alex = person(**PHONE, locale="en-GB")
    enter(alex, f"/j/{board['joinCode']}", "Alex")
    screen = alex.page.locator(".phone-screen")
    expect(screen).to_be_visible()
    expect(screen.locator(".swatch-choice__name")).to_have_text(["<b>solution</b>"])
    # The name is part of the choice: tapping it picks the colour.
    screen.locator(".swatch-choice__name").click()
    expect(screen.locator("#phone-color-green")).to_be_checked()
    expect(screen.locator("label.swatch[for=phone-color-green]")).to_have_attribute(
        "title", "Green: <b>solution</b>"
    )
    assert alex.page.locator(".phone-screen b").count() == 0
    alex.screenshot("legend-phone")
    screen.get_by_label("Your idea").fill("Des bancs à l'ombre")
    screen.get_by_role("button", name="Add to the board").click()
    eventually(
        lambda: [n["color"] for n in board_json(camille, board)["notes"]] == ["green"],
        what="the idea stored in green",
    )
