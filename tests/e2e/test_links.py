"""Links in notes in the browser: an http(s) address one person types is a link for the other,
on the board and in the list view; other schemes stay text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Route, expect

from tests.e2e.board_page import create_note_at, enter, link
from tests.e2e.conftest import Person

TEXT = "voir https://example.org/a?b=1&c=2. javascript:alert(1) data:text/html,<b>x</b>"
REL = "noopener noreferrer nofollow"


def test_an_address_typed_by_one_is_a_safe_link_for_the_other(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Liens")
    camille, dominique = person(), person()
    enter(camille, link(board, "facilitator"), "Camille")
    enter(dominique, link(board, "participant"), "Dominique")
    create_note_at(camille, 400, 300, TEXT)

    page = dominique.page
    note = page.locator(".notes-layer .note", has_text="voir")
    expect(note).to_have_count(1)
    anchors = note.locator(".note__text a")
    expect(anchors).to_have_count(1)
    anchor = anchors.first
    expect(anchor).to_have_text("https://example.org/a?b=1&c=2")
    expect(anchor).to_have_attribute("href", "https://example.org/a?b=1&c=2")
    expect(anchor).to_have_attribute("target", "_blank")
    expect(anchor).to_have_attribute("rel", REL)
    expect(anchor).to_have_attribute("tabindex", "-1")  # Tab goes from note to note
    expect(note.locator(".note__text")).to_have_text(TEXT)  # the rest stays text
    assert page.locator("b").count() == 0

    # A click opens the address in a new tab, and does not select or move the note.
    def answer(route: Route) -> None:
        route.fulfill(body="ok", content_type="text/plain")

    dominique.context.route("https://example.org/**", answer)
    box = note.bounding_box()
    assert box is not None
    with page.expect_popup() as popup:
        anchor.click()
    assert popup.value.url == "https://example.org/a?b=1&c=2"
    assert popup.value.evaluate("window.opener") is None
    expect(note).not_to_have_class("is-selected")
    assert note.bounding_box() == box
    popup.value.close()
    dominique.screenshot("links-board")

    # The list view: the same link, reachable with the keyboard.
    page.get_by_role("button", name="Liste").click()
    listed = page.locator(".list-view .list-note__text a")
    expect(listed).to_have_count(1)
    expect(listed).to_have_attribute("href", "https://example.org/a?b=1&c=2")
    expect(listed).to_have_attribute("rel", REL)
    expect(listed).not_to_have_attribute("tabindex", "-1")
    expect(page.locator(".list-view .list-note__text")).to_have_text(TEXT)
