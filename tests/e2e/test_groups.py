"""Themes in the browser: one person groups notes, another sees the group, it moves as one and
folds to its title and a count, for everyone (docs/board-schema.md, root `groups`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Locator, expect

from tests.e2e.board_page import create_note_at, enter, link, open_panel
from tests.e2e.conftest import Person
from tests.e2e.test_note_ownership import drag, note, place, settled_place


def group(someone: Person, title: str) -> Locator:
    titled = someone.page.locator(".group__title", has_text=title)
    found = someone.page.locator(".groups-layer .group", has=titled)
    expect(found).to_have_count(1)
    return found


def test_a_participant_groups_notes_and_another_sees_it_move_as_one_and_fold(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Thèmes")
    alice = person()
    bob = person()
    enter(alice, link(board, "participant"), "Alice")
    enter(bob, link(board, "participant"), "Bob")
    create_note_at(alice, 300, 300, "vélo")
    create_note_at(alice, 560, 300, "tram")
    create_note_at(alice, 300, 560, "jardin")
    expect(bob.page.locator(".notes-layer .note")).to_have_count(3)

    # Alice selects two of her notes and groups them under a title.
    note(alice, "vélo").click()
    note(alice, "tram").click(modifiers=["Shift"])
    alice.page.get_by_role("button", name="Regrouper").click()
    title = alice.page.get_by_role("textbox", name="Titre du thème")
    expect(title).to_be_focused()
    title.fill("Mobilité")
    title.press("Enter")

    # Bob sees the theme, with its count; he may not rename it (no controls for him).
    theme = group(bob, "Mobilité")
    expect(theme.locator(".group__count")).to_have_text("2 post-it")
    expect(theme.get_by_role("button", name="Renommer le thème")).to_have_count(0)
    alice.screenshot("groups-made")

    # Alice drags the theme by its title: both notes move, on Bob's screen too; "jardin" stays.
    before = {text: place(bob, text) for text in ("vélo", "tram", "jardin")}
    drag(alice.page, group(alice, "Mobilité").locator(".group__bar .group__title"), 120, 200)
    after = {text: settled_place(bob, text, before[text]) for text in ("vélo", "tram")}
    assert place(bob, "jardin") == before["jardin"]
    shift = [_offset(before[t], after[t]) for t in ("vélo", "tram")]
    assert shift[0] == shift[1] and shift[0] != (0, 0), shift

    # Alice folds it: Bob sees the title and the count, and its notes are hidden.
    group(alice, "Mobilité").get_by_role("button", name="Replier le thème").click()
    expect(group(bob, "Mobilité")).to_have_class(re.compile(r"\bis-folded\b"))
    expect(bob.page.locator(".notes-layer .note", has_text="vélo")).to_be_hidden()
    expect(bob.page.locator(".notes-layer .note", has_text="jardin")).to_be_visible()
    expect(group(bob, "Mobilité").locator(".group__count")).to_have_text("2 post-it")
    bob.screenshot("groups-folded")

    # Unfolded and ungrouped by its maker: gone for Bob, the notes back.
    group(alice, "Mobilité").get_by_role("button", name="Déplier le thème").click()
    expect(bob.page.locator(".notes-layer .note", has_text="vélo")).to_be_visible()
    group(alice, "Mobilité").get_by_role("button", name="Dégrouper").click()
    expect(bob.page.locator(".groups-layer .group")).to_have_count(0)
    alice.screenshot("groups-ungrouped")


def _offset(a: str, b: str) -> tuple[float, float]:
    (ax, ay), (bx, by) = (_xy(a), _xy(b))
    return (bx - ax, by - ay)


def _xy(transform: str) -> tuple[float, float]:
    found = re.search(r"translate\(([-\d.]+)px, ([-\d.]+)px\)", transform)
    assert found, transform
    return float(found.group(1)), float(found.group(2))


def test_the_facilitator_renames_moves_and_folds_a_participants_group(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Thèmes")
    alice = person()
    facilitator = person()
    enter(alice, link(board, "participant"), "Alice")
    enter(facilitator, link(board, "facilitator"), "Fa")
    create_note_at(alice, 300, 300, "vélo")
    create_note_at(alice, 560, 300, "tram")
    note(alice, "vélo").click()
    note(alice, "tram").click(modifiers=["Shift"])
    alice.page.get_by_role("button", name="Regrouper").click()
    alice.page.get_by_role("textbox", name="Titre du thème").press("Enter")

    # The facilitator renames it; Alice sees the new title.
    theme = group(facilitator, "Thème")
    theme.get_by_role("button", name="Renommer le thème").click()
    field = facilitator.page.get_by_role("textbox", name="Titre du thème")
    field.fill("Se déplacer <b>autrement</b>")
    field.press("Enter")
    expect(group(alice, "Se déplacer <b>autrement</b>")).to_be_visible()

    # The facilitator moves Alice's notes as one, by the group's title, then folds it.
    before = {text: place(alice, text) for text in ("vélo", "tram")}
    title = group(facilitator, "Se déplacer").locator(".group__title")
    drag(facilitator.page, title, 0, 220)
    after = {text: settled_place(alice, text, before[text]) for text in ("vélo", "tram")}
    assert _offset(before["vélo"], after["vélo"]) == _offset(before["tram"], after["tram"])
    # A vote on the theme as a whole: Alice casts one, the facilitator sees it counted.
    open_panel(facilitator.page)
    facilitator.page.get_by_label("Vote secret").uncheck()
    facilitator.page.get_by_role("button", name="Ouvrir le vote").click()
    group_id = group(alice, "Se déplacer").get_attribute("data-group")
    group(alice, "Se déplacer").locator(f'[data-vote="{group_id}"]').click()
    expect(alice.page.locator(".vote-strip__status")).to_contain_text("il vous reste 4 votes")
    expect(group(facilitator, "Se déplacer").locator("[data-votes]")).to_have_attribute(
        "data-votes", "1"
    )
    group(facilitator, "Se déplacer").get_by_role("button", name="Replier le thème").click()
    expect(group(alice, "Se déplacer")).to_have_class(re.compile(r"\bis-folded\b"))
    expect(alice.page.locator(".notes-layer .note", has_text="tram")).to_be_hidden()
