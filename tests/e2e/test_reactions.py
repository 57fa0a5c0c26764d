"""Reactions and comments in the browser: one person reacts and comments on the canvas, another on
a phone sees the counts and the thread live in the list view and answers, the facilitator clears
them (docs/board-schema.md, roots `reactions` and `comments`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Locator, expect

from tests.e2e.board_page import create_note_at, enter, link, open_panel
from tests.e2e.conftest import Person
from tests.e2e.test_note_ownership import note
from tests.e2e.test_roles_and_views import PHONE


def list_item(someone: Person, text: str) -> Locator:
    found = someone.page.locator(".list-view .list-note", has_text=text)
    expect(found).to_have_count(1)
    return found


def touch_size(target: Locator) -> tuple[float, float]:
    box = target.bounding_box()
    assert box is not None
    return box["width"], box["height"]


def test_reactions_and_a_thread_reach_a_phone_live_and_the_facilitator_clears_them(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Réactions")
    alice = person()
    bob = person(**PHONE)
    facilitator = person()
    enter(alice, link(board, "participant"), "Alice")
    enter(bob, link(board, "participant"), "Bob")
    enter(facilitator, link(board, "facilitator"), "Fanny")
    create_note_at(alice, 400, 300, "vélo")

    # On the canvas, "Réagir" shows on the note pointed at, focused or selected only.
    expect(note(alice, "vélo").locator(".note__talk-button")).to_have_count(2)
    alice.page.mouse.click(150, 600)
    expect(note(alice, "vélo").get_by_role("button", name="Réagir")).to_be_hidden()
    # Alice reacts with the keyboard: the note, "Réagir", then the first emoji of the picker.
    note(alice, "vélo").focus()
    alice.page.keyboard.press("Tab")
    react = note(alice, "vélo").get_by_role("button", name="Réagir")
    expect(react).to_be_focused()
    react.press("Enter")
    picker = note(alice, "vélo").get_by_role("group", name="Réactions")
    expect(picker.get_by_role("button", name="D\u2019accord")).to_be_focused()
    alice.page.keyboard.press("Enter")
    expect(picker).to_have_count(0)
    chip = note(alice, "vélo").locator(".note__reaction[data-reaction='👍']")
    expect(chip).to_have_text("👍1")
    expect(chip).to_have_attribute("aria-pressed", "true")
    # And she comments, from the note's comment button.
    note(alice, "vélo").get_by_role("button", name="Commenter").click()
    thread = alice.page.locator("#talk-panel")
    expect(thread).to_be_visible()
    thread.get_by_label("Votre commentaire").fill("Et le train ?")
    thread.get_by_role("button", name="Commenter").click()
    expect(thread.locator(".talk__comment")).to_have_text(["AliceEt le train ?Supprimer"])

    # Bob, on a phone, reads the board as a list: the count and the thread are there.
    bob.page.get_by_role("button", name="Liste").click()
    item = list_item(bob, "vélo")
    expect(item.locator(".note__reaction[data-reaction='👍']")).to_have_text("👍1")
    comments = item.get_by_role("button", name="1 commentaire sur le post-it : vélo")
    expect(comments).to_be_visible()
    # Every control is a finger's size there.
    for control in (comments, item.get_by_role("button", name="Réagir au post-it : vélo")):
        width, height = touch_size(control)
        assert width >= 44 and height >= 44, (width, height)
    # He adds his own 👍 and a 💡 by touch; Alice sees the counts change live.
    item.locator(".note__reaction[data-reaction='👍']").tap()
    expect(item.locator(".note__reaction[data-reaction='👍']")).to_have_text("👍2")
    item.get_by_role("button", name="Réagir au post-it : vélo").tap()
    item.get_by_role("group", name="Réactions").get_by_role("button", name="Bonne idée").tap()
    expect(note(alice, "vélo").locator(".note__reaction[data-reaction='👍']")).to_have_text("👍2")
    expect(note(alice, "vélo").locator(".note__reaction[data-reaction='💡']")).to_have_text("💡1")
    # He opens the thread, sees Alice's comment and answers; Alice's open thread shows it.
    comments.tap()
    his = bob.page.locator("#talk-panel")
    expect(his.locator(".talk__comment").first).to_contain_text("Et le train ?")
    expect(his.locator(".talk__comment").first.get_by_role("button")).to_have_count(0)
    his.get_by_label("Votre commentaire").fill("<b>Oui</b> !")
    his.get_by_role("button", name="Commenter").tap()
    expect(thread.locator(".talk__text")).to_have_text(["Et le train ?", "<b>Oui</b> !"])
    bob.screenshot("reactions-phone-thread")
    alice.screenshot("reactions-canvas-thread")

    # The facilitator clears the note's reactions and comments; everyone sees them go.
    note(facilitator, "vélo").get_by_role("button", name="2 commentaires").click()
    facilitator.page.locator("#talk-panel").get_by_role(
        "button", name="Effacer réactions et commentaires"
    ).click()
    expect(thread.locator(".talk__comment")).to_have_count(0)
    expect(note(alice, "vélo").locator(".note__reaction")).to_have_count(0)
    his.get_by_role("button", name="Fermer").tap()
    expect(list_item(bob, "vélo").locator(".note__reaction")).to_have_count(0)
    expect(
        list_item(bob, "vélo").get_by_role("button", name="Commenter le post-it : vélo")
    ).to_be_visible()


def test_anonymous_mode_hides_who_commented_and_the_lock_and_the_projector_only_read(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Réactions anonymes")
    camille = person()
    dominique = person()
    projector = person(viewport={"width": 1600, "height": 900})
    enter(camille, link(board, "facilitator"), "Camille")
    enter(dominique, link(board, "participant"), "Dominique")
    enter(projector, link(board, "observer"), None)
    create_note_at(dominique, 400, 300, "cantine bio")
    note(dominique, "cantine bio").get_by_role("button", name="Commenter").click()
    thread = dominique.page.locator("#talk-panel")
    thread.get_by_label("Votre commentaire").fill("Avec les producteurs du coin")
    thread.get_by_label("Votre commentaire").press("Control+Enter")
    thread.get_by_role("button", name="Bonne idée : aucune réaction").click()
    expect(thread.locator(".talk__author")).to_have_text(["Dominique"])

    # The facilitator turns anonymous mode on: the comment stays, its author goes, for everyone.
    open_panel(camille.page)
    camille.page.get_by_role("switch", name="Mode anonyme").click()
    expect(thread.locator(".talk__comment")).to_have_count(1)
    expect(thread.locator(".talk__author")).to_have_count(0)
    # The projector sees the counts, and a thread it cannot write to.
    shown = note(projector, "cantine bio")
    expect(shown.locator(".note__reaction[data-reaction='💡']")).to_have_text("💡1")
    expect(shown.locator("button.note__reaction, [data-talk='react']")).to_have_count(0)
    shown.get_by_role("button", name="1 commentaire").click()
    seen = projector.page.locator("#talk-panel")
    expect(seen.locator(".talk__text")).to_have_text(["Avec les producteurs du coin"])
    expect(seen.locator(".talk__author")).to_have_count(0)
    expect(seen.get_by_label("Votre commentaire")).to_be_hidden()
    expect(seen.get_by_role("button", name="Supprimer")).to_have_count(0)

    # Locked: Dominique keeps reading the counts and the thread, and can change nothing.
    camille.page.keyboard.press("Escape")
    camille.page.get_by_role("button", name="Verrouiller").click()
    expect(dominique.page.locator(".locked-banner")).to_be_visible()
    expect(thread.get_by_label("Votre commentaire")).to_be_hidden()
    expect(thread.get_by_role("button", name="Supprimer")).to_have_count(0)
    expect(thread.locator(".talk__reaction").first).to_be_disabled()
    mine = note(dominique, "cantine bio")
    expect(mine.locator("span.note__reaction[data-reaction='💡']")).to_have_text("💡1")
    expect(mine.locator("[data-talk='react']")).to_have_count(0)
