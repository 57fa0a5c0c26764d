"""Saved templates in the browser: each person's gallery shows their own templates, with rename
and delete, and nobody else's (issue 22, point 16; docs/templates.md, Ownership)."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.e2e.board_page import save_meteo_as_template
from tests.e2e.conftest import Person


def test_a_saved_template_is_in_its_author_s_gallery_only_with_rename_and_delete(
    person: Callable[..., Person],
) -> None:
    camille, dominique = person(), person()
    page = camille.page
    save_meteo_as_template(page, "Météo de l\u2019équipe")
    expect(
        page.get_by_role("link", name="Télécharger le fichier du modèle", exact=True)
    ).to_be_visible()

    # Camille's gallery shows it as hers, with its actions.
    page.goto("/")
    own = page.locator(".template", has=page.locator(".template__name", has_text="Notre météo"))
    expect(own).to_have_count(1)
    expect(own.locator(".template__mine")).to_have_text("Mon modèle")
    expect(own.get_by_role("button", name="Renommer le modèle « Notre météo »")).to_be_visible()
    expect(page.locator(".template__actions")).to_have_count(1)  # shipped ones have none
    camille.screenshot("home-own-template")

    # Dominique, on the same server, never sees it.
    dominique.page.goto("/")
    expect(dominique.page.locator("label[for=template-meteo]")).to_be_visible()
    expect(dominique.page.locator(".template__name", has_text="Notre météo")).to_have_count(0)
    expect(dominique.page.locator(".template__actions")).to_have_count(0)

    # Camille renames it...
    own.get_by_role("button", name="Renommer le modèle « Notre météo »").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Nouveau nom").fill("Météo du lundi")
    camille.screenshot("home-own-template-rename")
    dialog.get_by_role("button", name="Renommer").click()
    expect(page.locator(".gallery__status")).to_contain_text("« Météo du lundi »")
    renamed = page.locator(
        ".template", has=page.locator(".template__name", has_text="Météo du lundi")
    )
    expect(renamed).to_have_count(1)
    expect(page.locator(".template__name", has_text="Notre météo")).to_have_count(0)
    # ...and deletes it, after a confirmation.
    renamed.get_by_role("button", name="Supprimer le modèle « Météo du lundi »").click()
    page.get_by_role("dialog").get_by_role("button", name="Supprimer").click()
    expect(page.locator(".gallery__status")).to_contain_text("est supprimé")
    expect(page.locator(".template__name", has_text="Météo du lundi")).to_have_count(0)
    page.reload()
    expect(page.locator("label[for=template-meteo]")).to_be_visible()
    expect(page.locator(".template__actions")).to_have_count(0)
    assert camille.dialogs == [] and camille.errors == []
