"""Exports, the wiki copy and its preview, publishing to a (fake) YesWiki, and imports."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.board_page import enter, link, note_texts, notes
from tests.e2e.conftest import Person
from tests.support.bazar import BazarStandIn
from tests.support.server_process import ServerProcess

XSS = "<img src=x onerror=alert(1)>"
KEY = "cle-e2e-0123456789"


def _add_notes(server_url: str, board: dict[str, Any], texts: list[str]) -> None:
    """Notes through the CSV import API (one idea per line, header `texte`)."""
    body = "texte\n" + "\n".join(f'"{t.replace(chr(34), chr(34) * 2)}"' for t in texts) + "\n"
    response = httpx.post(
        f"{server_url}/api/boards/{board['id']}/import/csv",
        content=body.encode(),
        headers={"Authorization": f"Bearer {board['tokens']['facilitator']}"},
        timeout=10,
    )
    assert response.status_code == 201, response.text


def _open_menu(page: Page) -> None:
    toggle = page.locator(".export-menu__toggle")
    if toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    expect(page.locator("#export-menu-panel")).to_be_visible()


def test_the_export_menu_downloads_every_format(
    person: Callable[..., Person],
    new_board: Callable[..., dict[str, Any]],
    e2e_server: ServerProcess,
    tmp_path: Path,
) -> None:
    board = new_board("Atelier « Mobilités »", "meteo")
    _add_notes(e2e_server.url, board, ["Pistes cyclables sécurisées", XSS])
    camille = person()
    enter(camille, link(board, "facilitator"), "Camille")
    expect(notes(camille)).to_have_count(2)
    page = camille.page
    _open_menu(page)
    panel = page.locator("#export-menu-panel")
    expect(panel.get_by_role("button", name="Importer des idées (CSV)…")).to_be_visible()
    # This server is not set up for a wiki: no "Publier".
    expect(panel.locator("[data-action=publish]")).to_be_hidden()
    camille.screenshot("export-menu")

    files: dict[str, bytes] = {}
    for fmt, label, ext in [
        ("yeswiki", "Texte pour YesWiki (.txt)", ".yeswiki.txt"),
        ("markdown", "Markdown (.md)", ".md"),
        ("csv", "Tableur (CSV)", ".csv"),
        ("json", "Sauvegarde complète (JSON)", ".json"),
        ("pdf", "PDF à imprimer", ".pdf"),
        ("png", "Image du tableau (PNG)", ".png"),
    ]:
        _open_menu(page)
        with page.expect_download() as info:
            panel.get_by_role("button", name=label).click()
        download = info.value
        name = download.suggested_filename
        # The server's accented file name (filename*), with the date and the extension.
        assert name.startswith("Atelier « Mobilités » 20"), name
        assert name.endswith(ext), name
        target = tmp_path / f"{fmt}{ext}"
        download.save_as(target)
        files[fmt] = target.read_bytes()
        assert files[fmt], fmt
    assert files["pdf"].startswith(b"%PDF")
    assert files["png"].startswith(b"\x89PNG\r\n\x1a\n")
    csv_text = files["csv"].decode("utf-8-sig")
    assert "Pistes cyclables sécurisées" in csv_text and ";" in csv_text
    assert "Pistes cyclables sécurisées" in files["markdown"].decode()
    assert "&lt;img src=x onerror=alert(1)&gt;" in files["yeswiki"].decode()
    backup = json.loads(files["json"])
    assert backup["format"] == "ardoise.board"
    assert {n["text"] for n in backup["board"]["notes"]} == {"Pistes cyclables sécurisées", XSS}
    # The token never went into a URL: the page fetched with a header and saved blobs.
    assert camille.dialogs == []


def test_a_participant_can_export_but_not_publish_nor_import(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Atelier")
    dominique = person()
    enter(dominique, link(board, "participant"), "Dominique")
    _open_menu(dominique.page)
    panel = dominique.page.locator("#export-menu-panel")
    expect(panel.get_by_role("button", name="Tableur (CSV)")).to_be_visible()
    expect(panel.get_by_role("button", name="Copier pour le wiki")).to_be_visible()
    expect(panel.locator("[data-action=import-csv]")).to_be_hidden()
    expect(panel.locator("[data-action=publish]")).to_be_hidden()
    dominique.page.keyboard.press("Escape")
    expect(panel).to_be_hidden()


def test_copy_for_the_wiki_copies_the_markup_and_previews_the_notes_as_text(
    person: Callable[..., Person],
    new_board: Callable[..., dict[str, Any]],
    e2e_server: ServerProcess,
) -> None:
    board = new_board("Rétrospective", "meteo")
    hostile = [XSS, '""<b>gras</b>""', "{{button link=x}} {{ }}", "[[ ]] a | b == c =="]
    _add_notes(e2e_server.url, board, ["Des cantines 100 % locales", *hostile])
    camille = person()
    camille.context.grant_permissions(["clipboard-read", "clipboard-write"])
    enter(camille, link(board, "facilitator"), "Camille")
    expect(notes(camille)).to_have_count(5)
    page = camille.page
    _open_menu(page)
    page.get_by_role("button", name="Copier pour le wiki").click()
    dialog = page.get_by_role("dialog", name="Copier pour le wiki")
    expect(dialog.locator(".wiki-dialog__status")).to_contain_text("Le texte est copié")
    preview = dialog.locator(".wiki-preview")
    expect(preview.locator("h1")).to_have_text("Rétrospective")
    cards = preview.locator(".wiki-preview__card")
    expect(cards).to_have_count(5)
    shown = [text.strip() for text in cards.all_inner_texts()]
    for text in ["Des cantines 100 % locales", *hostile]:
        assert any(card.startswith(text) for card in shown), (text, shown)
    # The hostile texts are text: no image, no bold tag, no link was made, nothing ran.
    expect(preview.locator("img, b, a, script")).to_have_count(0)
    assert camille.dialogs == []
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith('""<h1 class="ardoise-titre">Rétrospective</h1>""')
    assert "&lt;img src=x onerror=alert(1)&gt;" in copied
    assert copied == dialog.locator("textarea").input_value()
    camille.screenshot("wiki-preview")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)


def test_restoring_a_backup_on_the_home_page_makes_a_board_with_the_same_notes(
    person: Callable[..., Person],
    new_board: Callable[..., dict[str, Any]],
    e2e_server: ServerProcess,
    tmp_path: Path,
) -> None:
    board = new_board("Atelier sauvegardé", "meteo")
    texts = ["Une première idée", "Deuxième idée, avec accents : été"]
    _add_notes(e2e_server.url, board, texts)
    backup = httpx.get(
        f"{e2e_server.url}/api/boards/{board['id']}/export/json",
        headers={"Authorization": f"Bearer {board['tokens']['facilitator']}"},
        timeout=10,
    )
    assert backup.status_code == 200
    path = tmp_path / "sauvegarde.json"
    path.write_bytes(backup.content)

    camille = person()
    page = camille.page
    page.goto("/")
    # A file that is not a board file: told in words, nothing created.
    bad = tmp_path / "pas-un-tableau.json"
    bad.write_text('{"format": "autre"}')
    page.locator("[data-import=json]").set_input_files(bad)
    expect(page.locator(".restore__status")).to_contain_text("aucun tableau n\u2019a été créé")
    # The reason too is in French, as the page is.
    expect(page.locator(".restore__status")).to_contain_text(
        "format : doit valoir 'ardoise.board' : ce n\u2019est pas un fichier de tableau Ardoise"
    )
    expect(page.locator(".my-boards__link")).to_have_count(0)

    page.locator("[data-import=json]").set_input_files(path)
    created = page.locator(".created")
    expect(created).to_be_visible()
    expect(created.locator("h2")).to_contain_text("Atelier sauvegardé")
    expect(page.locator(".my-boards__link")).to_have_text("Atelier sauvegardé")
    new_link = created.locator("[data-share=facilitator]").input_value()
    assert f"/b/{board['id']}" not in new_link
    page.locator("[data-open-board]").click()
    page.locator("#name-input").fill("Camille")
    page.locator("#name-input").press("Enter")
    expect(notes(camille)).to_have_count(2)
    assert sorted(note_texts(camille)) == sorted(texts)
    expect(page.locator(".zone")).to_have_count(5)


def test_importing_ideas_from_a_csv_file_adds_notes(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]], tmp_path: Path
) -> None:
    board = new_board("Atelier")
    camille = person()
    enter(camille, link(board, "facilitator"), "Camille")
    page = camille.page
    good = tmp_path / "idees.csv"
    good.write_text("texte;couleur\nMutualiser les achats;vert\nUn café mensuel;\n", "utf-8")
    page.locator("[data-import=csv]").set_input_files(good)
    expect(page.locator(".toasts")).to_contain_text("2 idées ajoutées au tableau")
    expect(notes(camille)).to_have_count(2)
    bad = tmp_path / "faux.csv"
    bad.write_text("texte;couleur\nUne idée;fuchsia\n", "utf-8")
    page.locator("[data-import=csv]").set_input_files(bad)
    expect(page.locator(".toasts")).to_contain_text("rien n\u2019a été ajouté")
    expect(page.locator(".toasts")).to_contain_text("ligne 2 : couleur inconnue 'fuchsia'")
    expect(notes(camille)).to_have_count(2)


# ---- publishing, against a local Bazar-like server ----------------------------------------------


@pytest.fixture
def wiki_server(tmp_path: Path) -> Iterator[tuple[ServerProcess, BazarStandIn]]:
    bazar = BazarStandIn(KEY)
    env = {
        "ARDOISE_YESWIKI_URL": bazar.url,
        "ARDOISE_YESWIKI_FORM_ID": "7",
        "ARDOISE_YESWIKI_API_KEY": KEY,
        "ARDOISE_YESWIKI_TIMEOUT_S": "2",
    }
    server = ServerProcess(tmp_path, f"sqlite+aiosqlite:///{tmp_path / 'wiki.sqlite3'}", env)
    server.start()
    try:
        yield server, bazar
    finally:
        server.stop()
        bazar.close()


def test_publishing_to_the_wiki_shows_the_entry_link_or_the_reason_in_words(
    browser: Browser, wiki_server: tuple[ServerProcess, BazarStandIn]
) -> None:
    server, bazar = wiki_server
    created = httpx.post(
        f"{server.url}/api/boards",
        json={"title": "Atelier « Mobilités »", "template": "meteo", "locale": "fr"},
        timeout=10,
    )
    assert created.status_code == 201, created.text
    board = created.json()
    _add_notes(server.url, board, ["Pistes cyclables", XSS])
    context = browser.new_context(
        base_url=server.url, locale="fr-FR", viewport={"width": 1280, "height": 800}
    )
    context.set_default_timeout(10_000)
    try:
        camille = Person(context, context.new_page(), server.url)
        enter(camille, link(board, "facilitator"), "Camille")
        page = camille.page
        _open_menu(page)
        publish = page.locator("#export-menu-panel [data-action=publish]")
        expect(publish).to_have_text("Publier sur le wiki…")
        publish.click()
        dialog = page.get_by_role("dialog", name="Publier sur le wiki")
        expect(dialog.locator(".publish-dialog__confirm strong")).to_have_text(bazar.url)
        assert bazar.received == []  # nothing sent before the confirmation
        camille.screenshot("wiki-publish-confirm")
        dialog.get_by_role("button", name="Publier", exact=True).click()
        entry = dialog.get_by_role("link", name=f"{bazar.url}/?AtelierMobilites")
        expect(entry).to_be_visible()
        expect(entry).to_have_attribute("href", f"{bazar.url}/?AtelierMobilites")
        expect(dialog).to_contain_text("C\u2019est publié")
        sent = bazar.posts()[-1].fields
        assert sent["bf_titre"].startswith("Atelier « Mobilités » — ")
        assert "&lt;img src=x onerror=alert(1)&gt;" in sent["bf_description"]
        # Stored by the test wiki as a real one stores it: unchanged.
        stored = bazar.entry("AtelierMobilites")
        assert stored == {**sent, "user": "ArdoiseBot", "owner": "ArdoiseBot"}
        camille.screenshot("wiki-publish-done")
        dialog.get_by_role("button", name="Fermer").first.click()
        expect(dialog).to_have_count(0)

        # A wiki that shows raw HTML as text: published again (the same entry), and told so.
        bazar.allow_raw_html = False
        _open_menu(page)
        publish.click()
        dialog.get_by_role("button", name="Publier", exact=True).click()
        expect(dialog.get_by_role("link", name=f"{bazar.url}/?AtelierMobilites")).to_be_visible()
        expect(dialog.locator(".publish-dialog__warning")).to_contain_text(
            "Attention : la fiche est publiée, mais le wiki affiche sa mise en page comme du texte"
        )
        camille.screenshot("wiki-publish-warning")
        dialog.get_by_role("button", name="Fermer").first.click()
        bazar.allow_raw_html = True

        # The wiki now refuses the key: the reason, in words, and nothing published.
        bazar.keys = {"ArdoiseBot": "une-autre-cle"}
        _open_menu(page)
        publish.click()
        dialog.get_by_role("button", name="Publier", exact=True).click()
        result = dialog.locator(".publish-dialog__result")
        expect(result).to_contain_text("Rien n\u2019a été publié sur le wiki.")
        expect(result).to_contain_text("le wiki refuse la clé d\u2019API")
        expect(dialog.get_by_role("link")).to_have_count(0)
        expect(dialog.get_by_role("button", name="Réessayer")).to_be_visible()
        camille.screenshot("wiki-publish-refused")

        # An answer that cannot be read: the entry may exist, so no retry, and a way to check.
        bazar.keys, bazar.mode = {"ArdoiseBot": KEY}, "garbage"
        dialog.get_by_role("button", name="Réessayer").click()
        expect(result).to_contain_text("La fiche a peut-être été créée")
        expect(result).to_contain_text("réponse inattendue du wiki")
        expect(dialog.get_by_role("link", name="Ouvrir le wiki")).to_be_visible()
        expect(dialog.get_by_role("button", name="Réessayer")).to_have_count(0)
        assert camille.errors == [] and camille.dialogs == []
    finally:
        context.close()
