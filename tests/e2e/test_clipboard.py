"""Copy, paste and duplicate notes in a real browser (issue 23, item 1): Ctrl+C / Ctrl+V / Ctrl+D,
across boards of one browser, plain text as one note per line, and the roles kept (the server
judges who writes; a pasted note is in the paster's name)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from tests.e2e.board_page import create_note_at, enter, eventually, link, notes
from tests.e2e.conftest import Person
from tests.e2e.test_roles_and_views import PHONE, board_json

CLIPBOARD = ["clipboard-read", "clipboard-write"]


def _server_notes(someone: Person, board: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = board_json(someone, board)["notes"]
    return found


def _wait_notes(someone: Person, board: dict[str, Any], count: int) -> list[dict[str, Any]]:
    eventually(lambda: len(_server_notes(someone, board)) == count, what=f"{count} saved notes")
    return _server_notes(someone, board)


def _select(someone: Person, text: str) -> None:
    someone.page.locator(".notes-layer .note", has_text=text).first.click()


def test_a_participant_copies_and_pastes_at_the_pointer_and_the_facilitator_sees_it_in_their_name(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Atelier copie")
    camille, dominique = person(), person(permissions=CLIPBOARD)
    enter(camille, link(board, "facilitator"), "Camille")
    enter(dominique, link(board, "participant"), "Dominique")
    create_note_at(dominique, 400, 400, "Idée à copier")
    _select(dominique, "Idée à copier")
    page = dominique.page
    page.keyboard.press("Control+c")
    page.mouse.move(900, 300)
    page.keyboard.press("Control+v")
    expect(notes(dominique)).to_have_count(2)
    # The copy is selected, its group's top left at the pointer.
    pasted = page.locator(".notes-layer .note.is-selected")
    expect(pasted).to_have_count(1)
    box = pasted.bounding_box()
    assert box and abs(box["x"] - 900) < 3 and abs(box["y"] - 300) < 3, box
    expect(camille.page.locator(".notes-layer .note", has_text="Idée à copier")).to_have_count(2)
    saved = _wait_notes(camille, board, 2)
    assert {n["text"] for n in saved} == {"Idée à copier"}
    assert {n["author"] for n in saved} == {"Dominique"}
    assert len({n["id"] for n in saved}) == 2
    # Ctrl+D duplicates the selection beside it.
    page.keyboard.press("Control+d")
    expect(notes(dominique)).to_have_count(3)
    expect(camille.page.locator(".notes-layer .note", has_text="Idée à copier")).to_have_count(3)
    # One undo step takes the duplicate away again.
    page.keyboard.press("Control+z")
    expect(camille.page.locator(".notes-layer .note")).to_have_count(2)
    dominique.screenshot("clipboard-pasted")


def test_a_facilitator_pastes_a_participants_note_in_the_facilitators_own_name(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Atelier copie")
    camille, dominique = person(permissions=CLIPBOARD), person()
    enter(camille, link(board, "facilitator"), "Camille")
    enter(dominique, link(board, "participant"), "Dominique")
    create_note_at(dominique, 400, 400, "Écrit par Dominique")
    expect(camille.page.locator(".notes-layer .note")).to_have_count(1)
    _select(camille, "Écrit par Dominique")
    camille.page.keyboard.press("Control+c")
    camille.page.keyboard.press("Control+v")
    expect(dominique.page.locator(".notes-layer .note")).to_have_count(2)
    saved = _wait_notes(camille, board, 2)
    assert sorted(n["author"] for n in saved) == ["Camille", "Dominique"]


def test_notes_copied_on_one_board_paste_into_another_board_of_the_same_browser(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    first, second = new_board("Premier"), new_board("Second")
    camille = person(permissions=CLIPBOARD)
    enter(camille, link(first, "facilitator"), "Camille")
    create_note_at(camille, 400, 400, "Voyageuse")
    create_note_at(camille, 700, 400, "Compagne")
    camille.page.locator(".board-canvas").focus()
    camille.page.keyboard.press("Control+a")
    camille.page.keyboard.press("Control+c")
    enter(camille, link(second, "facilitator"), None)
    camille.page.locator(".board-canvas").focus()
    camille.page.keyboard.press("Control+v")
    expect(notes(camille)).to_have_count(2)
    saved = _wait_notes(camille, second, 2)
    assert sorted(n["text"] for n in saved) == ["Compagne", "Voyageuse"]


def test_plain_text_pastes_as_one_note_per_line_and_an_observer_pastes_nothing(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Atelier texte", "meteo")
    camille, olivia = person(permissions=CLIPBOARD), person(permissions=CLIPBOARD)
    enter(camille, link(board, "facilitator"), "Camille")
    enter(olivia, link(board, "observer"), None)
    text = "Première idée\\n\\n  Deuxième idée \\r\\nTroisième"
    camille.page.evaluate(f"navigator.clipboard.writeText('{text}')")
    camille.page.locator(".board-canvas").focus()
    camille.page.keyboard.press("Control+v")
    expect(notes(camille)).to_have_count(3)
    expect(olivia.page.locator(".notes-layer .note")).to_have_count(3)
    saved = _wait_notes(camille, board, 3)
    assert sorted(n["text"] for n in saved) == ["Deuxième idée", "Première idée", "Troisième"]
    # No pointer over the board: the placement rule puts them in a zone, apart.
    assert all(n["zone"] for n in saved), saved
    rects = [n["rect"] for n in saved]
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            apart_x = a[0] + a[2] <= b[0] or b[0] + b[2] <= a[0]
            apart_y = a[1] + a[3] <= b[1] or b[1] + b[3] <= a[1]
            assert apart_x or apart_y, (a, b)
    # More than 20 lines: asked first; declined, nothing is made.
    many = "\\n".join(f"Ligne {i}" for i in range(25))
    camille.page.evaluate(f"navigator.clipboard.writeText('{many}')")
    camille.page.locator(".board-canvas").focus()
    camille.page.keyboard.press("Control+v")
    eventually(lambda: len(camille.dialogs) == 1, what="the question")
    assert "25" in camille.dialogs[0], camille.dialogs
    expect(notes(camille)).to_have_count(3)
    # The observer's paste makes nothing, on no screen.
    olivia.page.evaluate("navigator.clipboard.writeText('Idée observée')")
    olivia.page.locator(".board-canvas").focus()
    olivia.page.keyboard.press("Control+v")
    refused = "Ce lien permet de regarder le tableau, pas de le modifier."
    expect(olivia.page.get_by_text(refused)).to_be_visible()
    assert len(_server_notes(camille, board)) == 3
    expect(camille.page.locator(".notes-layer .note")).to_have_count(3)


def test_on_a_phone_a_tap_on_dupliquer_copies_the_tapped_note_for_everyone(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Météo", "meteo")
    camille, alex = person(), person(**PHONE)
    enter(camille, link(board, "facilitator"), "Camille")
    enter(alex, f"/j/{board['joinCode']}", "Alex")
    page = alex.page
    screen = page.locator(".phone-screen")
    screen.get_by_label("Votre idée").fill("Du soleil")
    screen.get_by_role("button", name="Ajouter au tableau").click()
    page.get_by_role("button", name="Voir le tableau").click()
    page.locator(".notes-layer .note", has_text="Du soleil").tap()
    page.get_by_role("button", name="Dupliquer").tap()
    expect(notes(alex)).to_have_count(2)
    expect(camille.page.locator(".notes-layer .note", has_text="Du soleil")).to_have_count(2)
    saved = _wait_notes(camille, board, 2)
    assert {n["author"] for n in saved} == {"Alex"}
    alex.screenshot("clipboard-phone-duplicate")
