"""A workshop in the browser: one code opens its tables, a participant picks one, writes, changes
table and writes there; the people at each table see only their table's notes."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
from playwright.sync_api import expect

from tests.e2e.board_page import create_note_at, enter, eventually, link, note_texts
from tests.e2e.conftest import Person
from tests.e2e.test_roles_and_views import PHONE, board_json
from tests.support.server_process import ServerProcess

HOSTILE_QUESTION = "<img src=x onerror=alert(1)> Quelles ressources ?"


def new_workshop(url: str) -> dict[str, Any]:
    response = httpx.post(
        f"{url}/api/workshops",
        json={
            "title": "Pérenniser le hors-norme",
            "locale": "fr",
            "tables": [
                {"title": "Où aller ?", "question": "Quelles finalités ?"},
                {"title": "Avec quelles ressources ?", "question": HOSTILE_QUESTION},
            ],
            "rounds": [
                {
                    "label": "Rotation 1 — origines",
                    "prompt": "D\u2019où vient-on ?",
                    "durationMs": 1_200_000,
                }
            ],
        },
        timeout=30,
    )
    assert response.status_code == 201, response.text
    workshop: dict[str, Any] = response.json()
    return workshop


def pick_table(someone: Person, title: str) -> None:
    someone.page.get_by_role("link", name=f"Rejoindre « {title} »").click()


def test_a_participant_joins_by_code_picks_a_table_and_moves_to_another(
    person: Callable[..., Person], e2e_server: ServerProcess
) -> None:
    workshop = new_workshop(e2e_server.url)
    ana, bea = person(), person(**PHONE)

    # One code: the workshop's tables to pick from, its plenary and its rounds.
    ana.page.goto(f"/j/{workshop['joinCode']}")
    page = ana.page
    expect(page.get_by_role("heading", name="Pérenniser le hors-norme", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Rejoindre « Où aller ? »")).to_be_visible()
    expect(page.get_by_role("link", name="Ouvrir la plénière")).to_be_visible()
    expect(page.get_by_text("Rotation 1 — origines")).to_be_visible()
    expect(page.get_by_text(HOSTILE_QUESTION)).to_be_visible()  # as text, never markup
    assert page.locator("img[src=x]").count() == 0

    pick_table(ana, "Où aller ?")
    enter(ana, page.url, "Ana")
    expect(page.locator(".topbar__question")).to_have_text("Quelles finalités ?")
    create_note_at(ana, 700, 450, "idée de la table 1")

    # Béa, on her phone, at the first table from the same code.
    bea.page.goto(f"/j/{workshop['joinCode']}")
    pick_table(bea, "Où aller ?")
    enter(bea, bea.page.url, "Béa")
    bea.page.get_by_role("button", name="Liste").click()
    listed = bea.page.locator(".list-note__text")
    expect(listed).to_have_text(["idée de la table 1"])

    # Ana changes table: the second table's board, its question, her note there.
    page.get_by_role("link", name="Changer de table").click()
    pick_table(ana, "Avec quelles ressources ?")
    enter(ana, page.url, None)
    expect(page.locator(".topbar__question")).to_have_text(HOSTILE_QUESTION)
    assert page.locator("img[src=x]").count() == 0
    assert note_texts(ana) == []
    create_note_at(ana, 700, 450, "idée de la table 2")
    assert note_texts(ana) == ["idée de la table 2"]

    # Béa's table kept its own notes: the second table's never reached it.
    tables = [{"id": t["boardId"], "tokens": workshop["tokens"]} for t in workshop["tables"]]
    eventually(
        lambda: [n["text"] for n in board_json(ana, tables[1])["notes"]] == ["idée de la table 2"],
        what="the second table's note stored",
    )
    assert [n["text"] for n in board_json(ana, tables[0])["notes"]] == ["idée de la table 1"]
    expect(listed).to_have_text(["idée de la table 1"])


def test_a_wrong_workshop_link_says_so(
    person: Callable[..., Person], e2e_server: ServerProcess
) -> None:
    workshop = new_workshop(e2e_server.url)
    visitor = person()
    visitor.page.goto(f"/w/{workshop['id']}#token=wrong")
    alert = visitor.page.get_by_role("alert")
    expect(alert).to_contain_text("Ce lien n\u2019ouvre pas l\u2019atelier")
    visitor.page.goto("/w/nope#token=wrong")
    expect(visitor.page.get_by_role("alert")).to_contain_text("Cet atelier n\u2019existe pas")


def test_the_facilitator_starts_a_round_on_every_table(
    person: Callable[..., Person], e2e_server: ServerProcess
) -> None:
    workshop = new_workshop(e2e_server.url)
    lead, ana, bea = person(), person(), person(**PHONE)
    for someone, title, name in (
        (ana, "Où aller ?", "Ana"),
        (bea, "Avec quelles ressources ?", "Béa"),
    ):
        someone.page.goto(f"/j/{workshop['joinCode']}")
        pick_table(someone, title)
        enter(someone, someone.page.url, name)
        expect(someone.page.locator(".topbar__round")).to_be_hidden()

    lead.page.goto(link(workshop, "facilitator"))
    start = lead.page.get_by_role(
        "button", name="Lancer « Rotation 1 — origines » sur toutes les tables"
    )
    lead.page.get_by_label("Verrouiller les tables à la fin du tour").check()
    start.click()
    expect(lead.page.locator(".workshop__round-status")).to_have_text(
        "« Rotation 1 — origines » est lancé sur 2 tables."
    )

    # Each table shows the round and its prompt, and its timer runs (about twenty minutes left).
    for someone in (ana, bea):
        timer = someone.page.locator(".timer")
        expect(timer).to_be_visible()
        expect(timer.locator(".timer__label")).to_have_text("Rotation 1 — origines")
        expect(timer.locator(".timer__time")).to_have_text(re.compile(r"^(20:00|19:[0-5]\d)$"))
        expect(someone.page.locator(".topbar__round")).to_have_text(
            "Rotation 1 — origines\u00a0: D\u2019où vient-on ?"
        )
    # A participant of the workshop has no such button.
    ana.page.get_by_role("link", name="Changer de table").click()
    expect(ana.page.get_by_role("link", name="Rejoindre « Où aller ? »")).to_be_visible()
    expect(
        ana.page.get_by_role(
            "button", name="Lancer « Rotation 1 — origines » sur toutes les tables"
        )
    ).to_have_count(0)


def test_a_facilitator_creates_a_workshop_from_the_home_page(
    person: Callable[..., Person], e2e_server: ServerProcess
) -> None:
    lead, ana = person(), person(**PHONE)
    page = lead.page
    page.goto("/")
    card = page.locator(".home-workshop")
    card.get_by_label("Titre de l\u2019atelier").fill("Forum du 7 décembre")
    card.get_by_label("Tables", exact=True).fill("Où aller ? : Quelles finalités ?\nRessources\n")
    card.get_by_label("Modèle des tables").select_option("ou-aller")
    card.get_by_label("Tours (facultatif)").fill("Rotation 1\nRotation 2")
    card.get_by_label("Durée de chaque tour, en minutes").fill("25")
    card.get_by_role("button", name="Créer l\u2019atelier").click()
    code_line = card.locator(".workshop-create__code")
    expect(code_line).to_contain_text("Code à donner aux participants")
    code = code_line.inner_text().rsplit(" ", 1)[-1]

    card.get_by_role("link", name="Ouvrir l\u2019atelier").click()
    expect(page.get_by_role("heading", name="Forum du 7 décembre", exact=True)).to_be_visible()
    expect(page.get_by_text("Quelles finalités ?")).to_be_visible()
    expect(page.get_by_text("(25 min)")).to_have_count(2)
    expect(
        page.get_by_role("button", name="Lancer « Rotation 2 » sur toutes les tables")
    ).to_be_visible()

    # The code works for a participant, whose table has the chosen template.
    ana.page.goto(f"/j/{code}")
    pick_table(ana, "Ressources")
    enter(ana, ana.page.url, "Ana")
    expect(ana.page.locator(".topbar__title")).to_have_text("Ressources")
    expect(ana.page.locator(".topbar__question")).to_be_hidden()


def test_the_lead_facilitator_follows_three_tables_live_and_speaks_to_all(
    person: Callable[..., Person], e2e_server: ServerProcess
) -> None:
    response = httpx.post(
        f"{e2e_server.url}/api/workshops",
        json={
            "title": "Forum ouvert",
            "locale": "fr",
            "tables": [{"title": "Table A"}, {"title": "Table B"}, {"title": "Table C"}],
        },
        timeout=30,
    )
    assert response.status_code == 201, response.text
    workshop = response.json()
    lead, ana, bea = person(), person(), person(**PHONE)
    lead.page.goto(link(workshop, "facilitator"))
    overview = lead.page.locator(".overview")
    cards = overview.locator(".overview__table")
    expect(cards).to_have_count(3)
    expect(cards.nth(0)).to_contain_text("Personne pour l\u2019instant")

    for someone, title, name in ((ana, "Table A", "Ana"), (bea, "Table C", "Béa")):
        someone.page.goto(f"/j/{workshop['joinCode']}")
        pick_table(someone, title)
        enter(someone, someone.page.url, name)
    create_note_at(ana, 700, 450, "première idée")
    create_note_at(ana, 700, 650, "deuxième idée")

    # Live: who is where, and how many notes, without reloading.
    expect(cards.nth(0)).to_contain_text("1 présent(s) : Ana")
    expect(cards.nth(0)).to_contain_text("2 post-it")
    expect(cards.nth(1)).to_contain_text("Personne pour l\u2019instant")
    expect(cards.nth(2)).to_contain_text("1 présent(s) : Béa")
    expect(cards.nth(2)).to_contain_text("0 post-it")

    lead.page.get_by_label("Message à toutes les tables").fill("Pause : <b>5 min</b>")
    overview.get_by_role("button", name="Envoyer").click()
    expect(overview.get_by_role("status")).to_have_text("Message envoyé à 4 tableaux.")
    for someone in (ana, bea):
        expect(someone.page.locator(".toasts")).to_contain_text(
            "Message de l\u2019animation : Pause : <b>5 min</b>"
        )
    # From the overview, the facilitator opens a table.
    overview.get_by_role("link", name="Ouvrir « Table A »").click()
    enter(lead, lead.page.url, "Léa")
    expect(lead.page.locator(".topbar__title")).to_have_text("Table A")
