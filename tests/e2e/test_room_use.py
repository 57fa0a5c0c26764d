"""The board as a room of people uses it (issue 22): long texts, avatars, stale messages, a secret
vote on a projected screen, the list view's votes, the count of private notes, and wording."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
from playwright.sync_api import Locator, expect

from tests.e2e.board_page import create_note_at, enter, link, note_id, notes, open_panel
from tests.e2e.conftest import Person
from tests.support.server_process import ServerProcess


def toast(someone: Person, text: str) -> Locator:
    return someone.page.locator(".toast", has_text=text)


def open_vote(facilitator: Person, budget: int, secret: bool = True) -> None:
    page = facilitator.page
    open_panel(page)
    page.get_by_label("Votes par personne").fill(str(budget))
    secret_box = page.get_by_label("Vote secret")
    if secret_box.is_checked() != secret:
        secret_box.click()
    page.get_by_role("button", name="Ouvrir le vote").click()
    page.locator("#facilitation-panel").get_by_role("button", name="Fermer", exact=True).click()


def test_a_long_paste_is_cut_with_a_word_and_a_clipped_note_shows_it(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    # Issue 22, point 4: pasting 5,000 characters kept 2,000 with no word, and a long note was
    # clipped on the board with no "…".
    board = new_board("Textes longs")
    camille, dominique = person(), person()
    enter(camille, link(board, "participant"), "Camille")
    enter(dominique, link(board, "participant"), "Dominique")
    page = camille.page
    page.mouse.dblclick(400, 300)
    editor = page.locator(".note__editor")
    expect(editor).to_be_focused()
    long_text = " ".join(f"mot{i:04d}" for i in range(715))[:5000]
    assert len(long_text) == 5000
    page.keyboard.insert_text(long_text)
    expect(toast(camille, "Texte coupé")).to_contain_text(
        "au plus 2\u202f000 caractères ; 3\u202f000 caractères n\u2019ont pas été gardés"
    )
    page.keyboard.press("Escape")
    note = notes(dominique).first
    expect(note.locator(".note__text")).to_have_text(long_text[:2000])
    # On another person's screen: the "…" shows, and the whole text is the note's tooltip.
    expect(note).to_contain_class("is-clipped")
    expect(note.locator(".note__more")).to_be_visible()
    expect(note).to_have_attribute("title", long_text[:2000])
    dominique.screenshot("room-clipped-note")

    # A short note is not marked.
    create_note_at(dominique, 800, 500, "Court")
    short = dominique.page.locator(".notes-layer .note", has_text="Court")
    expect(short.locator(".note__more")).to_be_hidden()
    expect(short).not_to_have_attribute("title", re.compile(".*"))

    # "Ajouter une idée": a long paste is cut there too, and said.
    dominique.page.get_by_role("button", name="Liste").click()
    view = dominique.page.locator(".list-view")
    view.locator("summary").click()
    view.get_by_label("Votre idée").focus()
    dominique.page.keyboard.insert_text(long_text[:2500])
    expect(view.get_by_label("Votre idée")).to_have_value(long_text[:2000])
    expect(view.locator(".idea__message")).to_contain_text(
        "500 caractères n\u2019ont pas été gardés"
    )
    # The list view shows every note whole.
    expect(view.locator(".list-note__text").first).to_have_text(long_text[:2000])


def test_initials_take_letters_only(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    # Issue 22, point 5: "Claire (anim)" showed "C(".
    board = new_board("Avatars")
    claire, dominique = person(), person()
    enter(claire, link(board, "facilitator"), "Claire (anim)")
    enter(dominique, link(board, "participant"), "Dominique")
    expect(dominique.page.locator(".presence__count")).to_have_text("2 présents")
    expect(dominique.page.locator(".presence__avatars .avatar")).to_have_text(["D", "CA"])


def test_a_late_joiner_is_not_told_old_news_and_an_undone_deletion_loses_its_toast(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    # Issue 22, point 7.
    board = new_board("Nouvelles")
    camille, dominique, ernest = person(), person(), person()
    enter(camille, link(board, "facilitator"), "Camille")
    create_note_at(camille, 400, 300, "Idée A")
    enter(dominique, link(board, "participant"), "Dominique")
    open_vote(camille, 3)
    camille.page.get_by_role("button", name="Animation").click()
    camille.page.get_by_role("button", name="Révéler les résultats").click()
    # Dominique was there: she is told.
    expect(toast(dominique, "Les résultats du vote sont affichés.")).to_be_visible()
    # Ernest comes later: the results are shown, which is no news to tell him.
    enter(ernest, link(board, "participant"), "Ernest")
    # The strip and any toast come from the same first read of the layout: looked at at once,
    # within the toast's lifetime (7 s).
    expect(ernest.page.locator(".vote-strip")).to_be_visible()
    assert ernest.page.locator(".toast").all_text_contents() == []

    # A deletion's "Ctrl+Z pour annuler" leaves once undone.
    # (His view is fitted to the board's one note: the toolbar adds his, ready for typing.)
    ernest.page.locator(".toolbar").get_by_role("button", name="Ajouter un post-it").click()
    expect(ernest.page.locator(".note__editor")).to_be_focused()
    ernest.page.keyboard.type("À jeter")
    ernest.page.keyboard.press("Escape")
    expect(ernest.page.locator(".note__editor")).to_have_count(0)
    ernest.page.keyboard.press("Delete")
    expect(toast(ernest, "Post-it supprimé. Ctrl+Z pour annuler.")).to_be_visible()
    ernest.page.keyboard.press("Control+z")
    expect(ernest.page.locator(".notes-layer .note", has_text="À jeter")).to_have_count(1)
    # Gone at once, not at the end of its 7 s.
    expect(toast(ernest, "Ctrl+Z pour annuler")).to_have_count(0, timeout=3_000)


def test_the_facilitators_screen_hides_a_secret_votes_counts_until_they_choose(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    # Issue 22, points 11 and 17: a projected facilitator's screen gave a secret vote away;
    # "il vous reste 0 votes"; "0" on every note nobody voted for.
    board = new_board("Vote projeté")
    camille, dominique = person(), person()
    enter(camille, link(board, "facilitator"), "Camille")
    create_note_at(camille, 400, 300, "Idée A")
    create_note_at(camille, 750, 300, "Idée B")
    a = note_id(camille, "Idée A")
    enter(dominique, link(board, "participant"), "Dominique")
    open_vote(camille, 1)
    dominique.page.locator(f'.notes-layer [data-vote="{a}"]').click()
    expect(dominique.page.locator(".vote-strip__status")).to_have_text(
        "Vote secret : vous n\u2019avez plus de vote"
    )
    # Nothing on the facilitator's screen tells the counts; the choice is theirs.
    show = camille.page.get_by_role("button", name="Voir les résultats sur mon écran")
    expect(show).to_be_visible()
    expect(camille.page.locator(".note__vote-count")).to_have_count(0)
    expect(camille.page.get_by_role("button", name="Classement")).to_be_hidden()
    camille.screenshot("room-secret-vote-facilitator-hidden")
    show.click()
    expect(camille.page.locator(f'.note[data-note="{a}"] .note__vote-count')).to_have_text("1")
    # No "0" on the note nobody voted for.
    expect(camille.page.locator(".note__vote-count")).to_have_count(1)
    # Remembered for this board in this browser.
    camille.page.reload()
    expect(camille.page.locator(f'.note[data-note="{a}"] .note__vote-count')).to_have_text("1")
    camille.page.get_by_role("button", name="Cacher les résultats de mon écran").click()
    expect(camille.page.locator(".note__vote-count")).to_have_count(0)
    camille.page.reload()
    expect(camille.page.locator(".vote-strip")).to_be_visible()
    expect(show).to_be_visible()
    expect(camille.page.locator(".note__vote-count")).to_have_count(0)
    # Revealed, the counts are everyone's: shown, and the choice is no longer offered.
    open_panel(camille.page)
    camille.page.get_by_role("button", name="Révéler les résultats").click()
    expect(camille.page.locator(f'.note[data-note="{a}"] .note__vote-count')).to_have_text("1")
    expect(show).to_be_hidden()
    # The participant never saw a count before that.
    expect(dominique.page.locator(f'.note[data-note="{a}"] .note__vote-count')).to_have_text("1")


def test_the_list_view_votes_and_shows_counts(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    # Issue 22, point 12: the list view (the screen-reader way in) had no voting and no counts.
    board = new_board("Vote en liste")
    camille, dominique = person(), person()
    enter(camille, link(board, "facilitator"), "Camille")
    create_note_at(camille, 400, 300, "Idée A")
    create_note_at(camille, 750, 300, "Idée B")
    b = note_id(camille, "Idée B")
    enter(dominique, link(board, "participant"), "Dominique")
    open_vote(camille, 3, secret=False)
    page = dominique.page
    page.get_by_role("button", name="Liste").click()
    view = page.locator(".list-view")
    vote_a = view.get_by_role("button", name="Voter pour le post-it : Idée A")
    vote_a.click()
    expect(page.locator(".vote-strip__status")).to_have_text("Vote ouvert : il vous reste 2 votes")
    vote_a.click()
    item_a = view.locator(".list-note", has_text="Idée A")
    expect(item_a.locator(".note__vote-count")).to_have_text("2 votes")
    expect(item_a.locator(".note__my-votes")).to_have_attribute("aria-label", "Mes votes : 2")
    # No count on the note nobody voted for.
    expect(
        view.locator(".list-note", has_text="Idée B").locator(".note__vote-count")
    ).to_have_count(0)
    view.get_by_role("button", name="Retirer un de mes votes du post-it : Idée A").click()
    expect(item_a.locator(".note__vote-count")).to_have_text("1 vote")
    # Someone else's vote, live.
    camille.page.locator(f'.notes-layer [data-vote="{b}"]').click()
    expect(view.locator(".list-note", has_text="Idée B").locator(".note__vote-count")).to_have_text(
        "1 vote"
    )
    view.locator("h2").scroll_into_view_if_needed()
    dominique.screenshot("room-list-view-votes")


def test_the_facilitator_sees_a_live_count_of_private_notes(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    # Issue 22, point 12: no count of private notes during "Écriture individuelle".
    board = new_board("Écriture")
    camille, dominique, ernest = person(), person(), person()
    # Everything the facilitator's browser receives, to look for private note ids in it.
    received: list[str] = []

    def watch(socket: Any) -> None:
        socket.on(
            "framereceived",
            lambda payload: received.append(
                payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload
            ),
        )

    camille.page.on("websocket", watch)
    enter(camille, link(board, "facilitator"), "Camille")
    enter(dominique, link(board, "participant"), "Dominique")
    enter(ernest, link(board, "participant"), "Ernest")
    open_panel(camille.page)
    phase = camille.page.get_by_role("switch", name="Écriture individuelle")
    phase.click()
    camille.page.locator("#facilitation-panel").get_by_role(
        "button", name="Fermer", exact=True
    ).click()
    count = camille.page.locator(".private-bar__count")
    expect(count).to_have_text("Aucun post-it privé pour l\u2019instant.")
    expect(dominique.page.locator(".private-bar")).to_be_visible()
    create_note_at(dominique, 400, 300, "Secret de Dominique")
    expect(count).to_have_text("1 post-it privé écrit pour l\u2019instant.")
    create_note_at(ernest, 700, 300, "Secret d'Ernest")
    expect(count).to_have_text("2 post-it privés écrits pour l\u2019instant.")
    # The participants see no count, and the facilitator no note.
    expect(dominique.page.locator(".private-bar__count")).to_be_hidden()
    expect(notes(camille)).to_have_count(0)
    # Nor anything in presence: writing a private note is not announced (its id would be).
    private = dominique.page.locator(".note.is-private")
    expect(private).to_have_count(1)
    private_id = private.get_attribute("data-note")
    assert private_id
    private.dblclick()
    expect(dominique.page.locator(".note__editor")).to_be_focused()
    dominique.page.keyboard.type(" encore")
    dominique.page.keyboard.press("Escape")
    create_note_at(ernest, 700, 500, "Repère")  # after Dominique's presence, in order
    expect(count).to_have_text("3 post-it privés écrits pour l\u2019instant.")
    assert received and not any(private_id in frame for frame in received)
    camille.screenshot("room-private-count")


def test_an_idea_added_to_a_grid_cell_names_its_row_and_the_help_avoids_ligne(
    person: Callable[..., Person], e2e_server: ServerProcess
) -> None:
    # Issue 22, point 17: "Idée ajoutée dans « 1 mois »" did not say which axis; the parameter
    # help said "Un élément par ligne" where "ligne" is also a roadmap row.
    response = httpx.post(
        f"{e2e_server.url}/api/boards",
        json={
            "title": "Feuille de route",
            "template": "etapes-jalons",
            "locale": "fr",
            "parameters": {"axes": ["Santé", "Logement"]},
        },
        timeout=10,
    )
    assert response.status_code == 201, response.text
    board = response.json()
    dominique = person()
    enter(dominique, link(board, "participant"), "Dominique")
    page = dominique.page
    page.get_by_role("button", name="Liste").click()
    view = page.locator(".list-view")
    view.locator("summary").click()
    view.get_by_label("Votre idée").fill("Un centre de santé")
    view.get_by_label("Où la poser ?").select_option(label="Logement · 1 mois")
    view.get_by_role("button", name="Ajouter au tableau").click()
    expect(view.locator(".idea__message")).to_have_text("Idée ajoutée dans « Logement · 1 mois ».")

    page.goto("/")
    page.locator("label[for=template-etapes-jalons]").click()
    help_text = page.locator(".field__help", has_text="Entrée")
    expect(help_text).to_contain_text("Appuyez sur Entrée après chaque élément.")
    expect(help_text).not_to_contain_text("Un élément par ligne")


def test_two_quick_taps_on_vote_cast_two_votes(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    # A second tap while the first vote was on its way was dropped without a word (and made
    # test_the_list_view_votes_and_shows_counts flaky on a loaded machine): votes now queue.
    board = new_board("Double vote")
    camille, dominique = person(), person()
    enter(camille, link(board, "facilitator"), "Camille")
    create_note_at(camille, 400, 300, "Idée A")
    enter(dominique, link(board, "participant"), "Dominique")
    open_vote(camille, 3, secret=False)
    page = dominique.page
    page.get_by_role("button", name="Liste").click()
    view = page.locator(".list-view")
    view.get_by_role("button", name="Voter pour le post-it : Idée A").dblclick()
    item_a = view.locator(".list-note", has_text="Idée A")
    expect(item_a.locator(".note__vote-count")).to_have_text("2 votes")
    expect(page.locator(".vote-strip__status")).to_have_text("Vote ouvert : il vous reste 1 vote")
