"""Image notes in a real browser (issue 23, point 5): a person pastes or drops a picture on the
board, or takes a photo on a phone; the others see it (fetched with their own token, shown from
a blob URL the page's policy allows), and the server keeps it as a note naming its picture."""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image
from playwright.sync_api import Locator, expect

from tests.e2e.board_page import enter, eventually, link
from tests.e2e.conftest import Person
from tests.e2e.test_roles_and_views import PHONE, board_json

CLIPBOARD = ["clipboard-read", "clipboard-write"]


def _png(color: tuple[int, int, int], size: tuple[int, int] = (240, 120)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def _pictures(someone: Person) -> Locator:
    return someone.page.locator(".notes-layer .note--image img.note__picture")


def _shown(picture: Locator) -> bool:
    """The picture is loaded and drawn (not a broken image)."""
    return bool(picture.evaluate("img => img.complete && img.naturalWidth > 0"))


def _image_notes(someone: Person, board: dict[str, Any]) -> list[dict[str, Any]]:
    return [n for n in board_json(someone, board)["notes"] if n.get("imageId")]


def _paste_picture(someone: Person, data: bytes) -> None:
    """What a person's Ctrl+V does with a picture in the clipboard (a screenshot, an image
    copied from a page): the browser's paste event carries it as a file."""
    someone.page.evaluate(
        """async (b64) => {
            const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))
            const blob = new Blob([bytes], { type: 'image/png' })
            await navigator.clipboard.write([new ClipboardItem({ 'image/png': blob })])
        }""",
        base64.b64encode(data).decode(),
    )
    someone.page.keyboard.press("Control+v")


def _drop_picture(someone: Person, data: bytes, x: float, y: float) -> None:
    """A file dragged from the desktop and dropped on the board at (x, y)."""
    transfer = someone.page.evaluate_handle(
        """(b64) => {
            const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))
            const transfer = new DataTransfer()
            transfer.items.add(new File([bytes], 'photo.png', { type: 'image/png' }))
            return transfer
        }""",
        base64.b64encode(data).decode(),
    )
    canvas = someone.page.locator(".board-canvas")
    canvas.dispatch_event("dragover", {"dataTransfer": transfer, "clientX": x, "clientY": y})
    canvas.dispatch_event("drop", {"dataTransfer": transfer, "clientX": x, "clientY": y})


def test_a_pasted_and_a_dropped_picture_reach_a_phone_and_a_phone_photo_reaches_the_laptop(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]], tmp_path: Path
) -> None:
    board = new_board("Photos de l\u2019atelier")
    dominique = person(permissions=CLIPBOARD)
    alex = person(**PHONE)
    enter(dominique, link(board, "participant"), "Dominique")
    enter(alex, f"/j/{board['joinCode']}", "Alex")

    # Dominique pastes a screenshot with the mouse over the board: an image note there.
    page = dominique.page
    page.locator(".board-canvas").click(position={"x": 500, "y": 400})
    page.mouse.move(500, 400)
    _paste_picture(dominique, _png((255, 0, 255)))
    expect(_pictures(dominique)).to_have_count(1)
    eventually(lambda: _shown(_pictures(dominique).first), what="the pasted picture is shown")
    box = page.locator(".notes-layer .note--image").bounding_box()
    assert box and abs(box["x"] - 500) < 200 and abs(box["y"] - 400) < 200, box
    # Its proportions: 240 x 120 kept inside the note.
    picture_box = _pictures(dominique).first.bounding_box()
    assert picture_box and picture_box["width"] > picture_box["height"], picture_box

    # The phone sees it on the board, fetched with its own token.
    alex.page.get_by_role("button", name="Voir le tableau").click()
    expect(_pictures(alex)).to_have_count(1)
    eventually(lambda: _shown(_pictures(alex).first), what="the phone shows the picture")
    alex.screenshot("image-note-phone")

    # A file dropped on the board: a second image note.
    _drop_picture(dominique, _png((0, 200, 255), (100, 200)), 800, 300)
    expect(_pictures(dominique)).to_have_count(2)
    expect(_pictures(alex)).to_have_count(2)

    # Alex takes a photo from the phone's form, with the text as its caption.
    tabs = alex.page.get_by_role("navigation", name="Affichage")
    tabs.get_by_role("button", name="Ajouter une idée").click()
    screen = alex.page.locator(".phone-screen")
    screen.get_by_label("Votre idée").fill("Le tableau blanc")
    photo = tmp_path / "photo.jpg"
    Image.new("RGB", (400, 300), (20, 160, 60)).save(photo, "JPEG")
    screen.locator("input[type=file]").set_input_files(str(photo))
    expect(screen.get_by_role("status")).to_have_text("Image ajoutée au tableau.")
    captioned = page.locator(".notes-layer .note--image", has_text="Le tableau blanc")
    expect(captioned).to_have_count(1)
    # A screen reader hears what it is: "Image : Le tableau blanc (par Alex)".
    expect(captioned).to_have_attribute("aria-label", "Image : Le tableau blanc (par Alex)")
    eventually(
        lambda: _shown(captioned.locator("img.note__picture")), what="the laptop shows the photo"
    )
    dominique.screenshot("image-notes-laptop")
    # The list view shows them too, each said "Image" before its caption.
    page.get_by_role("button", name="Liste").click()
    listed = page.locator(".list-note__picture")
    expect(listed).to_have_count(3)
    expect(page.get_by_role("img", name="Image")).to_have_count(3)
    eventually(lambda: all(_shown(p) for p in listed.all()), what="the list shows the pictures")
    page.get_by_role("button", name="Tableau", exact=True).click()

    # The server holds three notes naming three pictures, in their writers' names.
    eventually(lambda: len(_image_notes(dominique, board)) == 3, what="three image notes saved")
    saved = _image_notes(dominique, board)
    assert len({n["imageId"] for n in saved}) == 3
    assert sorted(n["author"] for n in saved) == ["Alex", "Dominique", "Dominique"]
    assert [n["text"] for n in saved if n["author"] == "Alex"] == ["Le tableau blanc"]
    # Each at its own size, proportions kept, on no other note.
    for i, one in enumerate(saved):
        for other in saved[i + 1 :]:
            (x, y, w, h), (u, v, p, q) = one["rect"], other["rect"]
            assert x + w <= u or u + p <= x or y + h <= v or v + q <= y, (one, other)


def test_an_observer_sees_pictures_and_a_refused_file_is_said_in_words(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Pièges")
    dominique, screen = person(), person()
    enter(dominique, link(board, "participant"), "Dominique")
    enter(screen, link(board, "observer"), None)
    # A file that claims to be a PNG and is not one: refused by the server, said in French.
    _drop_picture(dominique, b"<svg onload='alert(1)'/>", 600, 300)
    expect(
        dominique.page.get_by_text("Cette image n\u2019a pas été acceptée", exact=False)
    ).to_be_visible()
    _drop_picture(dominique, _png((255, 0, 255)), 600, 300)
    expect(_pictures(screen)).to_have_count(1)
    eventually(lambda: _shown(_pictures(screen).first), what="the observer sees the picture")
    assert len(_image_notes(dominique, board)) == 1
