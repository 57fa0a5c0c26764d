"""The names, marks and addresses a publication uses (the requests themselves are tried against
the test wiki in tests/integration/test_exports.py)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings

from server.boards.export.yeswiki_publish import api_url, board_mark, entry_name, message
from tests.unit.boards.export.test_escaping import hostile_text


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Atelier « Mobilités » à Besançon", "AtelierMobilitesABesancon"),
        ("Atelier riposte : où aller ? (2 axes) 07/12/2022", "AtelierRiposteOuAller2Axes07122022"),
        ("Rétrospective", "ArdoiseRetrospective"),
        ("RÉTRO équipe 😀", "ArdoiseRETROEquipe"),
        ("2024 bilan", "Ardoise2024Bilan"),
        ("", "ArdoiseTableau"),
        ("« … »", "ArdoiseTableau"),
        ("PagePrincipale", "PagePrincipale"),
        ("x" * 300, "ArdoiseX" + "x" * 32),
        (
            "Tableau Ardoise 2024-12-07 10h30 — très long titre de l'atelier",
            "TableauArdoise2024120710h30TresLongTitre",
        ),
    ],
)
def test_an_entry_name_is_a_readable_wiki_name(title: str, name: str) -> None:
    assert entry_name(title) == name


@given(hostile_text)
@settings(max_examples=300)
def test_an_entry_name_is_always_letters_and_digits_a_wiki_can_take(title: str) -> None:
    name = entry_name(title)
    assert re.fullmatch(r"[A-Z][a-z]+[A-Z0-9][A-Za-z0-9]*", name)
    assert len(name) <= 40
    assert entry_name(title) == name


def test_a_board_mark_is_a_class_that_does_not_give_the_board_away() -> None:
    mark = board_mark("8lSNWvlRM5l8JfHtq1nq-Q")
    assert re.fullmatch(r"ardoise-tableau-[0-9a-f]{20}", mark)
    assert "8lSNWvlRM5l8JfHtq1nq" not in mark
    assert board_mark("8lSNWvlRM5l8JfHtq1nq-Q") == mark != board_mark("another")


def test_api_addresses_and_messages() -> None:
    assert api_url("https://wiki.example.org", "forms/3") == "https://wiki.example.org/?api/forms/3"
    assert (
        api_url("https://example.org/wiki/", "pages/X") == "https://example.org/wiki/?api/pages/X"
    )
    assert message("form_missing", "fr", {"form": "8"}).startswith(
        "le wiki n\u2019a pas de formulaire Bazar n° 8"
    )
    assert message("names_taken", "en", {"name": "Atelier", "last": "20"}).startswith(
        "the entry names Atelier to Atelier20 are all taken"
    )
