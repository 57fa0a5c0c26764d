"""Who may change which note, in the browser: participants their own (unless the facilitator lets
everyone change all), facilitators every note; the server's rule (docs/protocol.md section 4,
"Judging notes") as the web client shows it."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Locator, Page, expect

from tests.e2e.board_page import create_note_at, enter, link, notes, open_panel
from tests.e2e.conftest import Person

NOT_YOURS = "Vous ne pouvez modifier que vos propres post-it."
EVERYONE_SWITCH = "Chacun peut modifier tous les post-it"


def note(someone: Person, text: str) -> Locator:
    found = someone.page.locator(".notes-layer .note", has_text=text)
    expect(found).to_have_count(1)
    return found


def place(someone: Person, text: str) -> str:
    """Where a note is, in board units: the same on every screen, whatever the view."""
    value: str = note(someone, text).evaluate("el => el.style.transform")
    return value


def placed_at(transform: str) -> re.Pattern[str]:
    """A note's style attribute that puts it at this place."""
    return re.compile(re.escape(f"transform: {transform};"))


def has_class(name: str) -> re.Pattern[str]:
    return re.compile(rf"(^|\s){re.escape(name)}(\s|$)")


def settled_place(someone: Person, text: str, before: str) -> str:
    """Where a note ends up on this screen once someone else's move of it is over."""
    moved = note(someone, text)
    expect(moved).not_to_have_attribute("style", placed_at(before))
    expect(moved).not_to_have_class(has_class("is-moving"))
    return place(someone, text)


def drag(page: Page, target: Locator, dx: float, dy: float) -> None:
    box = target.bounding_box()
    assert box
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx / 3, y + dy / 3, steps=4)
    page.mouse.move(x + dx, y + dy, steps=4)
    page.mouse.up()


def notices(page: Page, text: str) -> Locator:
    return page.locator(".toast", has_text=text)


def test_a_participant_changes_only_their_own_notes_until_the_facilitator_lets_everyone(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board()
    camille, dominique, alex = person(), person(), person()
    enter(camille, link(board, "facilitator"), "Camille")
    enter(dominique, link(board, "participant"), "Dominique")
    enter(alex, link(board, "participant"), "Alex")
    create_note_at(alex, 350, 300, "Idée d'Alex")
    create_note_at(dominique, 800, 300, "Idée de Dominique")
    for someone in (camille, dominique, alex):
        expect(notes(someone)).to_have_count(2)
    page = dominique.page
    alex_note = note(dominique, "Idée d'Alex")
    where = place(alex, "Idée d'Alex")
    assert place(dominique, "Idée d'Alex") == where

    # Alex's note looks fixed to Dominique: no resize handle once selected, no move cursor.
    alex_note.click()
    expect(alex_note).to_have_class(has_class("is-selected"))
    expect(alex_note.locator(".note__resize")).to_be_hidden()
    assert alex_note.evaluate("el => getComputedStyle(el).cursor") == "default"

    # Dominique tries to move it, edit it, delete it with the key and the button: nothing changes.
    drag(page, alex_note, 220, 140)
    alex_note.dblclick()
    expect(page.locator(".note__editor")).to_have_count(0)
    alex_note.click()
    page.keyboard.press("Delete")
    page.keyboard.press("ArrowRight")
    page.get_by_role("button", name="Supprimer").click()
    # Told why, politely, once for all these tries.
    expect(notices(page, NOT_YOURS)).to_have_count(1)
    page.wait_for_timeout(500)  # anything sent by mistake would have reached Alex by now
    for someone in (dominique, alex, camille):
        expect(notes(someone)).to_have_count(2)
        assert place(someone, "Idée d'Alex") == where
        expect(note(someone, "Idée d'Alex").locator(".note__text")).to_have_text("Idée d'Alex")
    # Nothing was refused by the server: nothing was sent.
    expect(page.locator(".toast--error")).to_have_count(0)
    # The list view offers "Modifier" and "Supprimer" on her own note only.
    page.get_by_role("button", name="Liste").click()
    items = page.locator(".list-note")
    # (Reacting and commenting are for every note: their buttons are not the note's actions.)
    actions = ".list-note__actions button"
    expect(items.filter(has_text="Idée d'Alex").locator(actions)).to_have_count(0)
    expect(items.filter(has_text="Idée de Dominique").locator(actions)).to_have_count(2)
    page.get_by_role("button", name="Tableau", exact=True).click()

    # Her own note: moved, edited and (below) deleted as before.
    own = note(dominique, "Idée de Dominique")
    own.click()
    expect(own.locator(".note__resize")).to_be_visible()
    assert own.evaluate("el => getComputedStyle(el).cursor") == "move"
    mine_before = place(alex, "Idée de Dominique")
    drag(page, own, -150, 120)
    mine_after = settled_place(alex, "Idée de Dominique", mine_before)
    expect(own).to_have_attribute("style", placed_at(mine_after))
    own.dblclick()
    expect(page.locator(".note__editor")).to_be_focused()
    page.keyboard.press("End")
    page.keyboard.type(" (revue)")
    page.keyboard.press("Escape")
    expect(alex.page.locator(".notes-layer")).to_contain_text("Idée de Dominique (revue)")

    # The facilitator moves anyone's note.
    drag(camille.page, note(camille, "Idée d'Alex"), 0, 160)
    moved_by_facilitator = settled_place(alex, "Idée d'Alex", where)
    for someone in (camille, dominique):
        expect(note(someone, "Idée d'Alex")).to_have_attribute(
            "style", placed_at(moved_by_facilitator)
        )

    # The facilitator lets everyone change every note: Dominique is told, and can move Alex's.
    open_panel(camille.page)
    switch = camille.page.get_by_role("switch", name=EVERYONE_SWITCH)
    expect(switch).to_have_attribute("aria-checked", "false")
    switch.click()
    expect(switch).to_have_attribute("aria-checked", "true")
    expect(page.get_by_role("status").filter(has_text="permet maintenant à chacun")).to_be_visible()
    alex_note = note(dominique, "Idée d'Alex")
    alex_note.click()
    expect(alex_note.locator(".note__resize")).to_be_visible()
    drag(page, alex_note, 200, 0)
    moved_by_dominique = settled_place(alex, "Idée d'Alex", moved_by_facilitator)
    expect(alex_note).to_have_attribute("style", placed_at(moved_by_dominique))
    dominique.screenshot("note-rights-everyone")

    # And back: each changes only their own again; Dominique deletes her own note.
    switch.click()
    expect(switch).to_have_attribute("aria-checked", "false")
    expect(page.get_by_role("status").filter(has_text="chacun ne modifie que")).to_be_visible()
    expect(note(dominique, "Idée d'Alex").locator(".note__resize")).to_be_hidden()
    note(dominique, "Idée de Dominique").click()
    page.keyboard.press("Delete")
    for someone in (dominique, alex, camille):
        expect(notes(someone)).to_have_count(1)
        expect(notes(someone).first).to_contain_text("Idée d'Alex")


def test_a_change_refused_because_the_setting_changed_meanwhile_is_undone_and_explained(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board()
    camille, dominique, alex = person(), person(), person()
    enter(camille, link(board, "facilitator"), "Camille")
    enter(dominique, link(board, "participant"), "Dominique")
    enter(alex, link(board, "participant"), "Alex")
    create_note_at(alex, 400, 300, "Idée d'Alex")
    expect(notes(dominique)).to_have_count(1)
    open_panel(camille.page)
    switch = camille.page.get_by_role("switch", name=EVERYONE_SWITCH)
    switch.click()
    page = dominique.page
    expect(page.get_by_role("status").filter(has_text="permet maintenant à chacun")).to_be_visible()
    where = place(alex, "Idée d'Alex")

    # Dominique loses the network; meanwhile the facilitator turns the setting off; Dominique,
    # who has not heard, moves Alex's note.
    dominique.context.set_offline(True)
    expect(page.locator(".status")).to_have_attribute("data-kind", "offline")
    switch.click()
    expect(switch).to_have_attribute("aria-checked", "false")
    drag(page, note(dominique, "Idée d'Alex"), 250, 150)
    assert place(dominique, "Idée d'Alex") != where
    dominique.context.set_offline(False)

    # The server refuses the move: the note goes back, and Dominique is told why in words.
    alert = page.get_by_role("alert").filter(has_text="vos propres post-it")
    expect(alert).to_contain_text("votre modification n\u2019a pas été enregistrée", timeout=20_000)
    expect(note(dominique, "Idée d'Alex")).to_have_attribute("style", placed_at(where))
    assert place(alex, "Idée d'Alex") == where
    dominique.screenshot("note-rights-refused")


def test_undo_never_sends_what_the_server_would_refuse(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board()
    camille, dominique, alex = person(), person(), person()
    enter(camille, link(board, "facilitator"), "Camille")
    enter(dominique, link(board, "participant"), "Dominique")
    enter(alex, link(board, "participant"), "Alex")
    create_note_at(alex, 400, 250, "Idée d'Alex")
    create_note_at(alex, 800, 250, "Deuxième proposition")
    expect(notes(dominique)).to_have_count(2)
    open_panel(camille.page)
    switch = camille.page.get_by_role("switch", name=EVERYONE_SWITCH)
    switch.click()
    page = dominique.page
    expect(page.get_by_role("status").filter(has_text="permet maintenant à chacun")).to_be_visible()

    # Dominique moves Alex's note while allowed; the facilitator then turns the setting off:
    # undoing that move would change a note that is no longer hers to change.
    before = place(alex, "Idée d'Alex")
    drag(page, note(dominique, "Idée d'Alex"), 0, 200)
    moved = settled_place(alex, "Idée d'Alex", before)
    expect(note(dominique, "Idée d'Alex")).to_have_attribute("style", placed_at(moved))
    switch.click()
    expect(page.get_by_role("status").filter(has_text="chacun ne modifie que")).to_be_visible()
    page.keyboard.press("Control+z")
    expect(notices(page, "ne peut pas être annulée")).to_have_count(1)
    page.wait_for_timeout(500)
    assert place(alex, "Idée d'Alex") == moved
    expect(page.locator(".toast--error")).to_have_count(0)

    # The facilitator deletes a participant's note: the server takes a note back only in its
    # writer's name, so the notice does not offer Ctrl+Z, and Ctrl+Z says why instead of failing.
    facilitator = camille.page
    facilitator.locator("#facilitation-panel").get_by_role("button", name="Fermer").click()
    note(camille, "Deuxième proposition").click()
    facilitator.keyboard.press("Delete")
    expect(notices(facilitator, "ne peut pas être rétabli par Ctrl+Z")).to_have_count(1)
    expect(notes(alex)).to_have_count(1)
    facilitator.keyboard.press("Control+z")
    expect(notices(facilitator, "ne peut pas être annulée")).to_have_count(1)
    facilitator.wait_for_timeout(500)
    expect(facilitator.locator(".toast--error")).to_have_count(0)
    for someone in (camille, dominique, alex):
        expect(notes(someone)).to_have_count(1)
