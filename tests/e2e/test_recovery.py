"""Nothing deleted is lost, in the browser: a participant brings back from "Corbeille" the note
the facilitator deleted; the facilitator goes back to an earlier version from "Historique", after a
confirmation, and everyone sees it; in French and in English."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from playwright.sync_api import expect

from tests.e2e.board_page import create_note_at, enter, link, note_texts, notes
from tests.e2e.conftest import Person


def test_a_participant_brings_back_from_the_trash_the_note_the_facilitator_deleted(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Rétrospective")
    camille, dominique, ernest, projector = person(), person(), person(), person()
    enter(dominique, f"/j/{board['joinCode']}", "Dominique")
    create_note_at(dominique, 400, 300, "L'idée de Dominique <b>gras</b>")
    enter(ernest, f"/j/{board['joinCode']}", "Ernest")
    enter(camille, link(board, "facilitator"), "Camille")
    expect(notes(camille)).to_have_count(1)
    notes(camille).first.click()
    camille.page.keyboard.press("Delete")
    for someone in (camille, dominique, ernest):
        expect(notes(someone)).to_have_count(0)

    trash_button = dominique.page.get_by_role("button", name="Corbeille")
    trash_button.click()
    panel = dominique.page.locator("#trash-panel")
    expect(panel).to_be_visible()
    item = panel.locator(".recovery__item")
    expect(item).to_have_count(1)
    # Hostile-looking text stays text.
    expect(item.locator(".recovery__text")).to_have_text("L'idée de Dominique <b>gras</b>")
    expect(item.locator("b")).to_have_count(0)
    expect(item).to_contain_text("Supprimé par Camille")
    dominique.screenshot("recovery-trash-participant")

    # Ernest did not write it: his trash is empty.
    ernest.page.get_by_role("button", name="Corbeille").click()
    expect(ernest.page.locator("#trash-panel")).to_contain_text("Aucun post-it supprimé.")
    # The facilitator sees every deleted note, with who wrote it.
    camille.page.get_by_role("button", name="Corbeille").click()
    expect(camille.page.locator("#trash-panel .recovery__item")).to_contain_text(
        "écrit par Dominique"
    )
    # The projector's read-only link has no trash.
    enter(projector, link(board, "observer"), None)
    expect(projector.page.get_by_role("button", name="Corbeille")).to_be_hidden()

    item.get_by_role("button", name="Restaurer le post-it").click()
    expect(dominique.page.locator(".toasts")).to_contain_text("Le post-it est de retour")
    for someone in (dominique, ernest, camille, projector):
        expect(notes(someone)).to_have_count(1)
    assert note_texts(ernest)[0].startswith("L'idée de Dominique <b>gras</b>")
    expect(panel).to_contain_text("Aucun post-it supprimé.")
    # The facilitator's open trash follows: the entry is gone there too.
    expect(camille.page.locator("#trash-panel .recovery__item")).to_have_count(0)
    dominique.page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(trash_button).to_be_focused()


def test_the_facilitator_goes_back_to_an_earlier_version_for_everyone_after_confirming(
    person: Callable[..., Person],
    new_board: Callable[..., dict[str, Any]],
    e2e_server: Any,
) -> None:
    board = new_board("Atelier versions")
    camille, dominique = person(), person()
    enter(camille, link(board, "facilitator"), "Camille")
    create_note_at(camille, 400, 300, "Avant l'import")
    enter(dominique, f"/j/{board['joinCode']}", "Dominique")
    imported = httpx.post(
        f"{e2e_server.url}/api/boards/{board['id']}/import/csv",
        headers={"Authorization": f"Bearer {board['tokens']['facilitator']}"},
        content="texte\nImportée 1\nImportée 2\n".encode(),
        timeout=10,
    )
    assert imported.status_code == 201, imported.text
    expect(notes(dominique)).to_have_count(3)
    # Only the facilitator has the history.
    expect(dominique.page.get_by_role("button", name="Historique")).to_be_hidden()

    page = camille.page
    page.get_by_role("button", name="Historique").click()
    panel = page.locator("#history-panel")
    version = panel.locator(".recovery__item", has_text="Avant un import")
    expect(version).to_contain_text("1 post-it")
    camille.screenshot("recovery-history")

    # Cancelling changes nothing.
    version.get_by_role("button", name="Rétablir la version").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("actuel est d\u2019abord gardé dans l\u2019historique")
    dialog.get_by_role("button", name="Annuler").click()
    expect(dialog).to_have_count(0)
    expect(notes(dominique)).to_have_count(3)

    version.get_by_role("button", name="Rétablir la version").click()
    camille.screenshot("recovery-history-confirm")
    page.get_by_role("dialog").get_by_role("button", name="Rétablir cette version").click()
    expect(page.locator(".toasts")).to_contain_text("est rétablie")
    for someone in (camille, dominique):
        expect(notes(someone)).to_have_count(1)
        assert note_texts(someone)[0].startswith("Avant l'import")
    expect(panel.locator(".recovery__item").first).to_contain_text("Version rétablie")
    kept = panel.locator(".recovery__item", has_text="Avant un retour en arrière")
    expect(kept).to_contain_text("3 post-it")
    expect(kept).to_contain_text("par Camille")

    # Going back is itself undone the same way: the three notes return.
    kept.get_by_role("button", name="Rétablir la version").click()
    page.get_by_role("dialog").get_by_role("button", name="Rétablir cette version").click()
    expect(notes(dominique)).to_have_count(3)


def test_the_trash_and_the_history_speak_english(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Workshop")
    fran = person(locale="en-US")
    enter(fran, link(board, "facilitator"), "Fran")
    create_note_at(fran, 400, 300, "Gone for now")
    notes(fran).first.click()
    fran.page.keyboard.press("Delete")
    expect(notes(fran)).to_have_count(0)
    fran.page.get_by_role("button", name="Trash").click()
    item = fran.page.locator("#trash-panel .recovery__item")
    expect(item).to_contain_text("Deleted by Fran")
    fran.page.get_by_role("button", name="History").click()
    expect(fran.page.locator("#history-panel")).to_contain_text("No versions yet")
    item.get_by_role("button", name="Restore the note").click()
    expect(notes(fran)).to_have_count(1)
