"""Facilitation in the browser: grid templates, secret dot voting, the timer that locks the board,
and the private writing phase."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Locator, expect

from tests.e2e.board_page import (
    create_note_at,
    enter,
    link,
    note_id,
    notes,
    open_panel,
    save_meteo_as_template,
)
from tests.e2e.conftest import Person


def vote_count(someone: Person, note: str) -> Locator:
    return someone.page.locator(f'.note[data-note="{note}"] .note__vote-count')


def test_a_roadmap_with_two_axes_is_drawn_as_a_grid_with_its_row_labels(
    person: Callable[..., Person],
) -> None:
    camille = person()
    page = camille.page
    page.goto("/")
    page.get_by_label("Titre du tableau").fill("Feuille de route 2027")
    page.locator("label[for=template-etapes-jalons]").click()
    axes = page.get_by_label("Axes de la feuille de route")
    expect(axes).to_be_visible()
    axes.fill("Santé\nLogement")
    camille.screenshot("facilitation-home-parameters")
    page.get_by_role("button", name="Créer le tableau").click()
    expect(page.locator(".created")).to_be_visible()
    page.locator("[data-open-board]").click()
    page.locator("#name-input").fill("Camille")
    page.locator("#name-input").press("Enter")
    expect(page.locator(".topbar__title")).to_have_text("Feuille de route 2027")
    expect(page.locator(".zone")).to_have_count(10)
    titles = page.locator(".zone__title").all_text_contents()
    assert titles == ["1 mois", "6 mois", "1 an", "2 ans", "Idéal"] * 2, titles
    expect(page.locator(".zone-row-label")).to_have_text(["Santé", "Logement"])
    # Each label sits above its band, not on it.
    label = page.locator(".zone-row-label").nth(1).bounding_box()
    first_cell = page.locator(".zone").nth(5).bounding_box()
    assert label and first_cell and label["y"] + label["height"] <= first_cell["y"] + 1
    camille.screenshot("facilitation-roadmap-grid")


def test_a_secret_vote_shows_counts_only_once_revealed(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Priorités")
    camille, dominique, ernest = person(), person(), person()
    enter(camille, link(board, "facilitator"), "Camille")
    create_note_at(camille, 400, 300, "Idée A")
    create_note_at(camille, 750, 300, "Idée B")
    a, b = note_id(camille, "Idée A"), note_id(camille, "Idée B")
    open_panel(camille.page)
    camille.page.get_by_label("Votes par personne").fill("4")
    camille.page.get_by_role("button", name="Ouvrir le vote").click()

    enter(dominique, f"/j/{board['joinCode']}", "Dominique")
    enter(ernest, f"/j/{board['joinCode']}", "Ernest")
    for someone in (dominique, ernest):
        expect(someone.page.locator(".vote-strip__status")).to_have_text(
            "Vote secret : il vous reste 4 votes"
        )
    dominique.page.locator(f'[data-vote="{a}"]').click()
    expect(dominique.page.locator(".vote-strip__status")).to_contain_text("il vous reste 3 votes")
    dominique.page.locator(f'[data-vote="{a}"]').click()
    expect(dominique.page.locator(f'.note[data-note="{a}"] [data-mine]')).to_have_attribute(
        "data-mine", "2"
    )
    ernest.page.locator(f'[data-vote="{a}"]').click()
    ernest.page.locator(f'[data-vote="{b}"]').click()
    expect(ernest.page.locator(".vote-strip__status")).to_contain_text("il vous reste 2 votes")
    # A vote taken back is given back.
    dominique.page.locator(f'[data-unvote="{a}"]').click()
    expect(dominique.page.locator(".vote-strip__status")).to_contain_text("il vous reste 3 votes")
    dominique.page.locator(f'[data-vote="{a}"]').click()
    expect(dominique.page.locator(".vote-strip__status")).to_contain_text("il vous reste 2 votes")

    # The facilitator sees how many people voted (docs/protocol.md section 5).
    expect(camille.page.locator(".fpanel__voters")).to_have_text("2 personnes ont voté.")
    # A reload is the same person (the server's credential, kept by the browser): her two votes
    # are still hers, to count and to take back.
    dominique.page.reload()
    expect(dominique.page.locator(".vote-strip__status")).to_contain_text("il vous reste 2 votes")
    expect(dominique.page.locator(f'.note[data-note="{a}"] [data-mine]')).to_have_attribute(
        "data-mine", "2"
    )
    expect(camille.page.locator(".fpanel__voters")).to_have_text("2 personnes ont voté.")

    # Secret: no participant sees any count; the facilitator does, once they choose to on their
    # own screen (it may be the projected one: hidden by default).
    expect(camille.page.locator(".note__vote-count")).to_have_count(0)
    camille.page.get_by_role("button", name="Voir les résultats sur mon écran").click()
    expect(camille.page.locator(f'.note[data-note="{a}"] .note__vote-count')).to_have_text("3")
    for someone in (dominique, ernest):
        expect(someone.page.locator(".note__vote-count")).to_have_count(0)
    dominique.screenshot("facilitation-vote-secret-participant")
    camille.screenshot("facilitation-vote-facilitator")

    camille.page.get_by_role("button", name="Révéler les résultats").click()
    for someone in (dominique, ernest):
        expect(vote_count(someone, a)).to_have_text("3")
        expect(vote_count(someone, b)).to_have_text("1")
    ernest.page.get_by_role("button", name="Classement").click()
    expect(ernest.page.locator(".vote-ranking li")).to_have_count(2)
    expect(ernest.page.locator(".vote-ranking li").first).to_contain_text("Idée A")
    ernest.screenshot("facilitation-vote-revealed")


def test_a_timer_that_locks_at_the_end_makes_the_board_read_only(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Atelier minuté")
    camille, dominique = person(), person()
    enter(camille, link(board, "facilitator"), "Camille")
    enter(dominique, f"/j/{board['joinCode']}", "Dominique")
    add = dominique.page.locator(".toolbar").get_by_role("button", name="Ajouter un post-it")
    expect(add).to_be_visible()
    open_panel(camille.page)
    camille.page.get_by_label("Intitulé (facultatif)").fill("Écriture")
    camille.page.get_by_label("Durée en minutes").fill("0.05")
    camille.page.get_by_label("Verrouiller le tableau à la fin").check()
    camille.page.get_by_role("button", name="Démarrer").click()

    timer = dominique.page.locator(".timer")
    expect(timer).to_be_visible()
    expect(timer.locator(".timer__label")).to_have_text("Écriture")
    dominique.screenshot("facilitation-timer-running")
    expect(timer).to_have_attribute("data-phase", "ended", timeout=15_000)
    expect(dominique.page.locator(".locked-banner")).to_contain_text("verrouillé", timeout=15_000)
    expect(dominique.page.locator(".board-screen")).to_have_class(re.compile(r"\bis-read-only\b"))
    expect(add).to_be_hidden()
    dominique.screenshot("facilitation-timer-ended-locked")


def test_private_notes_stay_private_until_the_facilitator_ends_the_phase(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Écriture individuelle")
    camille, dominique, ernest = person(), person(), person()
    enter(camille, link(board, "facilitator"), "Camille")
    enter(dominique, f"/j/{board['joinCode']}", "Dominique")
    enter(ernest, f"/j/{board['joinCode']}", "Ernest")
    open_panel(camille.page)
    phase = camille.page.get_by_role("switch", name="Écriture individuelle")
    phase.click()
    expect(phase).to_have_attribute("aria-checked", "true")
    expect(dominique.page.locator(".private-bar")).to_be_visible()

    create_note_at(dominique, 500, 400, "Mon idée à moi")
    expect(dominique.page.locator(".note.is-private")).to_have_count(1)
    expect(dominique.page.locator(".note__private")).to_have_text("Privé")
    dominique.screenshot("facilitation-private-note")
    ernest.page.wait_for_timeout(800)
    expect(notes(ernest)).to_have_count(0)
    expect(notes(camille)).to_have_count(0)

    phase.click()
    expect(phase).to_have_attribute("aria-checked", "false")
    expect(notes(ernest)).to_have_count(1)
    expect(notes(ernest).first).to_contain_text("Mon idée à moi")
    expect(notes(camille)).to_have_count(1)
    expect(dominique.page.locator(".note.is-private")).to_have_count(0)
    expect(notes(dominique)).to_have_count(1)
    ernest.screenshot("facilitation-private-revealed")


def test_share_qr_join_code_anonymous_follow_and_duplicate_from_another_device(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    # The board was made through the API: it is not in this browser's "Mes tableaux".
    board = new_board("Séance du mardi")
    camille, dominique = person(), person()
    enter(camille, link(board, "facilitator"), "Camille")
    page = camille.page
    page.get_by_role("button", name="Partager").click()
    expect(page.locator("#share-panel [data-share=code]")).to_have_text(board["joinCode"])
    expect(page.locator("#share-panel [data-share=participant]")).to_have_value(
        board["links"]["participant"]
    )
    page.get_by_role("button", name="Afficher le code en grand").click()
    qr = page.locator(".qr-screen")
    expect(qr).to_be_visible()
    expect(qr.locator(".qr-screen__code")).to_have_text(board["joinCode"])
    expect(qr.locator("svg.qr path")).to_have_count(1)
    camille.screenshot("facilitation-qr-screen")
    page.keyboard.press("Escape")
    if qr.count():
        page.keyboard.press("Escape")
    expect(qr).to_have_count(0)
    page.get_by_role("button", name="Fermer").first.click()

    enter(dominique, f"/j/{board['joinCode']}", "Dominique")
    create_note_at(dominique, 500, 400, "Signée")
    expect(camille.page.locator(".note__author")).to_have_text("Dominique")

    open_panel(page)
    page.get_by_role("switch", name="Mode anonyme").click()
    expect(dominique.page.locator(".note__author")).to_have_text("")
    expect(camille.page.locator(".note__author")).to_have_text("")

    # Closing the join code: the code no longer opens the board; links still do.
    join_switch = page.get_by_role("switch", name="accès ouvert")
    expect(join_switch).to_be_enabled()
    join_switch.click()
    expect(join_switch).to_have_attribute("aria-checked", "false")
    closed = camille.context.request.get(f"/api/join/{board['joinCode']}")
    assert closed.status == 404, closed.text()
    join_switch.click()
    expect(join_switch).to_have_attribute("aria-checked", "true")
    assert camille.context.request.get(f"/api/join/{board['joinCode']}").status == 200

    # Follow me: the participant's view moves with the facilitator's, until they opt out.
    page.get_by_role("switch", name="Suivez-moi").click()
    expect(dominique.page.locator(".follow-bar")).to_contain_text("Vous suivez la vue de Camille")
    page.locator("#facilitation-panel").get_by_role("button", name="Fermer").click()
    page.get_by_role("button", name="Zoomer", exact=True).click()
    page.get_by_role("button", name="Zoomer", exact=True).click()
    expect(dominique.page.locator(".toolbar__zoom")).to_have_text(
        page.locator(".toolbar__zoom").inner_text()
    )
    dominique.screenshot("facilitation-follow")
    dominique.page.get_by_role("button", name="Ne plus suivre").click()
    before = dominique.page.locator(".toolbar__zoom").inner_text()
    page.get_by_role("button", name="Dézoomer").click()
    page.wait_for_timeout(500)
    assert dominique.page.locator(".toolbar__zoom").inner_text() == before

    open_panel(page)
    # Duplicate: the copy opens with the facilitator link and joins "Mes tableaux".
    page.get_by_label("Titre de la copie").fill("Séance du mercredi")
    page.get_by_role("button", name="Dupliquer et ouvrir la copie").click()
    expect(page.locator(".topbar__title")).to_have_text("Séance du mercredi")
    expect(page.locator(".role-badge")).to_have_text("Animateur")
    expect(notes(camille)).to_have_count(1)
    page.goto("/")
    expect(page.locator(".my-boards__link")).to_have_text(["Séance du mercredi"])


def test_the_projector_shows_the_timer_large_and_revealed_counts(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Restitution")
    camille, projector = person(), person()
    enter(camille, link(board, "facilitator"), "Camille")
    create_note_at(camille, 500, 350, "À garder")
    a = note_id(camille, "À garder")
    open_panel(camille.page)
    camille.page.get_by_role("button", name="Ouvrir le vote").click()
    camille.page.locator(f'[data-vote="{a}"]').click()
    camille.page.locator(f'[data-vote="{a}"]').click()
    camille.page.get_by_label("Durée en minutes").fill("10")
    camille.page.get_by_role("button", name="Démarrer").click()
    enter(projector, link(board, "observer"), None)
    expect(projector.page.locator(".timer")).to_be_visible()
    # Running: by the time the projector shows it, a busy machine may have let seconds pass.
    expect(projector.page.locator(".timer__time")).to_have_text(
        re.compile(r"^(10:00|9:[3-5]\d)$"), timeout=3_000
    )
    expect(projector.page.locator(".note__vote-count")).to_have_count(0)
    expect(projector.page.locator(".note__vote-button")).to_have_count(0)
    camille.page.get_by_role("button", name="Révéler les résultats").click()
    expect(projector.page.locator(".note__vote-count")).to_have_text("2")
    projector.screenshot("facilitation-projector")


def test_save_as_template_then_import_a_template_file_on_the_home_page(
    person: Callable[..., Person], tmp_path: Any
) -> None:
    camille = person()
    page = camille.page
    save_meteo_as_template(page, "Météo d'équipe")
    download = page.get_by_role("link", name="Télécharger le fichier du modèle", exact=True)
    expect(download).to_be_visible()
    file = camille.context.request.get(download.get_attribute("href") or "")
    assert file.ok and "Notre météo" in file.text()
    camille.screenshot("facilitation-panel-template")

    path = tmp_path / "modele.toml"
    path.write_text(file.text().replace("Notre météo", "Météo importée"), encoding="utf-8")
    page.goto("/")
    page.locator("#template-file").set_input_files(str(path))
    expect(page.locator(".template-import__status")).to_contain_text("Météo importée")
    expect(page.locator(".template__name", has_text="Météo importée")).to_be_visible()

    # A file that cannot be used is explained in the page's language.
    broken = tmp_path / "casse.toml"
    assert "\n[board]\n" in file.text()
    broken.write_text(file.text().replace("\n[board]\n", "\n[board]\nprofondeur = 3\n", 1))
    page.locator("#template-file").set_input_files(str(broken))
    expect(page.locator(".template-import__status")).to_contain_text(
        "importé. Fichier envoyé : board : clé inconnue 'profondeur' (attendu : height, width)"
    )
