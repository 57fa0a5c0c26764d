"""The board in the browser: live notes between two people, text, reload, keyboard, safety."""

from __future__ import annotations

from collections.abc import Callable
from itertools import zip_longest
from typing import Any

import httpx
from playwright.sync_api import expect

from tests.e2e.board_page import create_note_at, enter, link, note_texts, notes, wait_saved
from tests.e2e.conftest import Person

XSS = "<img src=x onerror=alert(1)>"


def test_home_creates_a_board_and_shows_every_link_and_the_code(
    person: Callable[..., Person],
) -> None:
    camille = person()
    page = camille.page
    page.goto("/")
    expect(page.locator(".template").first).to_be_visible()
    camille.screenshot("home")
    page.get_by_label("Titre du tableau").fill("Rétrospective de l'équipe")
    page.locator("label[for=template-meteo]").click()
    page.get_by_role("button", name="Créer le tableau").click()
    created = page.locator(".created")
    expect(created).to_be_visible()
    for role in ("participant", "observer", "facilitator", "join"):
        # Participant, observer and facilitator links carry their token in the fragment.
        value = created.locator(f"[data-share={role}]").input_value()
        assert value.startswith(camille.base_url), value
        assert ("/j/" in value) if role == "join" else ("#token=" in value), value
    code = created.locator("[data-share=code]").inner_text()
    assert len(code) >= 4
    camille.screenshot("home-created")
    # "Mes tableaux" lists it, on this device.
    expect(page.locator(".my-boards__link")).to_have_text("Rétrospective de l'équipe")
    page.locator("[data-open-board]").click()
    page.locator("#name-input").fill("Camille")
    page.locator("#name-input").press("Enter")
    expect(page.locator(".topbar__title")).to_have_text("Rétrospective de l'équipe")
    expect(page.locator(".zone")).to_have_count(5)


def test_a_note_made_in_one_window_appears_in_the_other_with_cursors_and_names(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Météo du matin", "meteo")
    camille, dominique = person(), person()
    enter(camille, link(board, "facilitator"), "Camille")
    enter(dominique, f"/j/{board['joinCode']}", "Dominique")
    expect(dominique.page.locator(".role-badge")).to_have_text("Participant")

    create_note_at(camille, 200, 420, "Plein d'énergie")
    expect(notes(dominique)).to_have_count(1)
    expect(notes(dominique).first).to_contain_text("Plein d'énergie")
    create_note_at(dominique, 700, 420, "Un peu fatigué")
    expect(notes(camille)).to_have_count(2)
    expect(camille.page.locator(".notes-layer")).to_contain_text("Un peu fatigué")

    # Presence: each sees the other in the list and the other's cursor with their name.
    expect(camille.page.locator(".presence__count")).to_have_text("2 présents")
    camille.page.mouse.move(600, 300)
    camille.page.mouse.move(640, 320)
    cursor = dominique.page.locator(".cursor:not([hidden]) .cursor__name")
    expect(cursor).to_have_text("Camille")
    dominique.page.mouse.move(900, 500)
    expect(camille.page.locator(".cursor:not([hidden]) .cursor__name")).to_have_text("Dominique")
    camille.screenshot("board-two-people")

    # Someone who leaves disappears.
    dominique.context.close()
    expect(camille.page.locator(".presence__count")).to_have_text("1 présent")
    expect(camille.page.locator(".cursor:not([hidden])")).to_have_count(0)


def test_two_people_typing_in_one_note_both_keep_their_words(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board()
    camille, dominique = person(), person()
    enter(camille, link(board, "facilitator"), "Camille")
    enter(dominique, link(board, "participant"), "Dominique")
    # Dominique's note: the facilitator may change it too (participants change only their own,
    # by default).
    create_note_at(dominique, 500, 350, "Idée :")
    expect(notes(camille)).to_have_count(1)

    # Both open the same note and type at the same time.
    camille.page.locator(".note").first.dblclick()
    dominique.page.locator(".note").first.dblclick()
    expect(camille.page.locator(".note__editor")).to_be_focused()
    expect(dominique.page.locator(".note__editor")).to_be_focused()
    camille.page.keyboard.press("End")
    dominique.page.keyboard.press("End")
    # Letter by letter, in turns: each keystroke travels while the other is typing.
    for a, b in zip_longest(" rapide", " partagée", fillvalue=""):
        camille.page.keyboard.type(a)
        dominique.page.keyboard.type(b)
    expected = None
    for someone in (camille, dominique):
        someone.page.keyboard.press("Escape")
    for someone in (camille, dominique):
        text = someone.page.locator(".note__text").first
        expect(text).to_contain_text(" rapide")
        expect(text).to_contain_text(" partagée")
        value = text.inner_text()
        expected = expected or value
        assert value == expected, (value, expected)


def test_a_reload_keeps_everything(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Rechargement", "meteo")
    camille = person()
    enter(camille, link(board, "participant"), "Camille")
    create_note_at(camille, 300, 400, "Première")
    create_note_at(camille, 700, 400, "Deuxième")
    wait_saved(camille)
    camille.page.reload()
    # The name is remembered: no question this time.
    expect(camille.page.locator(".loading")).to_be_hidden()
    expect(camille.page.locator("#name-input")).to_have_count(0)
    expect(notes(camille)).to_have_count(2)
    assert sorted(note_texts(camille)) == ["Deuxième", "Première"]
    # And the server has them: another person opening the board later sees them.
    other = person()
    enter(other, link(board, "observer"), None)
    expect(notes(other)).to_have_count(2)


def test_a_note_can_be_created_edited_moved_and_deleted_with_the_keyboard_only(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board()
    camille = person()
    page = camille.page
    page.goto(link(board, "participant"))
    page.locator("#name-input").fill("Camille")
    page.keyboard.press("Enter")
    expect(page.locator(".status")).to_have_attribute("data-kind", "online")
    # Tab to the "add a sticky note" button, press Enter, type, Escape.
    add = page.get_by_role("button", name="Ajouter un post-it")
    for _ in range(40):
        if add.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(add).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".note__editor")).to_be_focused()
    page.keyboard.type("Au clavier")
    page.keyboard.press("Escape")
    note = notes(camille).first
    expect(note).to_be_focused()
    # Its text and its author (the row of reactions under them is the note's too).
    expect(note.locator(".note__text")).to_have_text("Au clavier")
    expect(note.locator(".note__author")).to_have_text("Camille")
    before = note.bounding_box()
    style = note.get_attribute("style") or ""
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    expect(note).not_to_have_attribute("style", style)
    # Each key is its own move and render: wait for the last one (right AND down) to show.
    after = note.bounding_box()
    for _ in range(50):
        if before and after and after["x"] > before["x"] and after["y"] > before["y"]:
            break
        page.wait_for_timeout(100)
        after = note.bounding_box()
    assert before and after and after["x"] > before["x"] and after["y"] > before["y"]
    # The shortcut N on the board adds another, Delete removes the selected one, Ctrl+Z restores.
    page.keyboard.press("n")
    expect(page.locator(".note__editor")).to_be_focused()
    page.keyboard.type("Deux")
    page.keyboard.press("Escape")
    expect(notes(camille)).to_have_count(2)
    page.keyboard.press("Delete")
    expect(notes(camille)).to_have_count(1)
    page.keyboard.press("Control+z")
    expect(notes(camille)).to_have_count(2)


def test_arrow_keys_pressed_within_one_frame_each_move_the_note(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    # Each arrow key must start from the note's latest position, not the one last rendered:
    # rendering waits for the next animation frame, so keys pressed within one frame would
    # overwrite each other (two right and one down ending one step down only, on a loaded
    # machine).
    board = new_board()
    camille = person()
    page = camille.page
    enter(camille, link(board, "participant"), "Camille")
    create_note_at(camille, 400, 300, "Vite")
    note = notes(camille).first
    note.click()
    expect(note).to_be_focused()
    before = note.bounding_box()
    # All three keys within one frame: animation frames are held back until they are pressed.
    page.evaluate(
        """() => {
            window.heldFrames = []
            window.realFrame = window.requestAnimationFrame
            window.requestAnimationFrame = (callback) => window.heldFrames.push(callback)
        }"""
    )
    for key in ("ArrowRight", "ArrowRight", "ArrowDown"):
        page.keyboard.press(key)
    page.evaluate(
        """() => {
            window.requestAnimationFrame = window.realFrame
            for (const callback of window.heldFrames.splice(0)) callback(performance.now())
        }"""
    )
    after = note.bounding_box()
    assert before and after
    zoom = after["width"] / before["width"]
    assert round((after["x"] - before["x"]) / zoom) == 20, (before, after)
    assert round((after["y"] - before["y"]) / zoom) == 10, (before, after)


def test_note_text_that_looks_like_html_is_shown_as_text_and_runs_nothing(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board()
    camille, dominique = person(), person()
    enter(camille, link(board, "participant"), "Camille")
    enter(dominique, link(board, "participant"), "<b>Dominique</b>")
    create_note_at(camille, 400, 300, XSS)
    for someone in (camille, dominique):
        expect(notes(someone)).to_have_count(1)
        expect(someone.page.locator(".note__text")).to_have_text(XSS)
        assert someone.page.locator(".notes-layer img, .notes-layer b").count() == 0
    # In the list view too.
    dominique.page.get_by_role("button", name="Liste").click()
    expect(dominique.page.locator(".list-note__text")).to_have_text(XSS)
    # A name that looks like HTML is text as well, on the cursor and in the list of people.
    dominique.page.get_by_role("button", name="Tableau", exact=True).click()
    dominique.page.mouse.move(500, 500)
    dominique.page.mouse.move(520, 510)
    expect(camille.page.locator(".cursor__name")).to_have_text("<b>Dominique</b>")
    assert camille.page.locator(".cursors-layer b").count() == 0
    camille.page.wait_for_timeout(300)
    assert camille.dialogs == [] and dominique.dialogs == []


def test_a_wrong_join_code_says_so_in_plain_words(person: Callable[..., Person]) -> None:
    camille = person()
    camille.page.goto("/")
    camille.page.get_by_label("Code donné par l\u2019animateur").fill("ZZZZ-ZZ")
    camille.page.get_by_role("button", name="Rejoindre").click()
    alert = camille.page.get_by_role("alert")
    expect(alert).to_contain_text("ne correspond à aucun tableau ouvert")
    camille.screenshot("join-wrong-code")


def test_the_interface_switches_to_english_and_remembers_it(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board()
    camille = person()
    enter(camille, link(board, "participant"), "Camille")
    camille.page.get_by_label("Langue").select_option("en")
    expect(camille.page.get_by_role("button", name="Add a sticky note")).to_be_visible()
    expect(camille.page.locator(".status__label")).to_have_text("Online")
    camille.page.reload()
    expect(camille.page.get_by_role("button", name="Add a sticky note")).to_be_visible()
    assert camille.page.evaluate("document.documentElement.lang") == "en"


def test_an_english_browser_gets_english(person: Callable[..., Person]) -> None:
    sam = person(locale="en-GB")
    sam.page.goto("/")
    expect(sam.page.get_by_role("heading", name="Create a board")).to_be_visible()
    response = httpx.get(f"{sam.base_url}/", timeout=5)
    assert response.status_code == 200


def test_edits_made_offline_are_kept_and_sent_when_the_connection_is_back(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board()
    camille, dominique = person(), person()
    enter(camille, link(board, "participant"), "Camille")
    enter(dominique, link(board, "participant"), "Dominique")
    camille.context.set_offline(True)
    status = camille.page.locator(".status")
    expect(status).to_have_attribute("data-kind", "offline")
    create_note_at(camille, 400, 300, "Écrit dans le train")
    expect(status).to_contain_text("seront envoyées au retour de la connexion")
    camille.screenshot("board-offline")
    expect(notes(dominique)).to_have_count(0)
    camille.context.set_offline(False)
    expect(status).to_have_attribute("data-kind", "online", timeout=20_000)
    expect(notes(dominique)).to_have_count(1)
    expect(notes(dominique).first).to_contain_text("Écrit dans le train")


def test_a_write_the_server_refuses_is_dropped_and_the_person_told_why(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board()
    camille, dominique = person(), person()
    enter(camille, link(board, "facilitator"), "Camille")
    enter(dominique, link(board, "participant"), "Dominique")
    create_note_at(dominique, 300, 300, "Avant")
    expect(notes(camille)).to_have_count(1)
    # Dominique loses the network; meanwhile the board is locked; Dominique writes anyway.
    dominique.context.set_offline(True)
    expect(dominique.page.locator(".status")).to_have_attribute("data-kind", "offline")
    camille.page.get_by_role("button", name="Verrouiller").click()
    create_note_at(dominique, 700, 300, "Pendant le verrou")
    expect(notes(dominique)).to_have_count(2)
    dominique.context.set_offline(False)
    # The server refuses the offline note: the board is synced afresh, and Dominique is told.
    alert = dominique.page.get_by_role("alert").filter(has_text="verrouillé")
    expect(alert).to_contain_text("votre modification n\u2019a pas été enregistrée", timeout=20_000)
    expect(notes(dominique)).to_have_count(1)
    expect(dominique.page.locator(".locked-banner")).to_be_visible()
    dominique.screenshot("board-refused-write")
    # Nothing of it reached anyone, and what was there before stays.
    expect(notes(camille)).to_have_count(1)
    expect(notes(camille).first).to_contain_text("Avant")


def test_a_link_with_a_wrong_token_says_so(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board()
    camille = person()
    camille.page.goto(f"/b/{board['id']}#token=not-the-right-one")
    fatal = camille.page.locator(".fatal")
    expect(fatal).to_contain_text("Ce lien n\u2019ouvre pas ce tableau")
    expect(fatal.get_by_role("link", name="Retour à l\u2019accueil")).to_be_visible()
