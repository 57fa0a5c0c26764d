"""Where new notes land, in a real browser: inside the zone meant, on no other note
(docs/board-schema.md, "Where a new note goes")."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
from playwright.sync_api import Page, WebSocketRoute, expect

from tests.e2e.board_page import enter, eventually, link, open_panel
from tests.e2e.conftest import Person
from tests.e2e.test_roles_and_views import PHONE, board_json
from tests.support.server_process import ServerProcess

Rect = list[float]


def _overlap(a: Rect, b: Rect) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _inside(rect: Rect, zone: Rect) -> bool:
    return (
        zone[0] <= rect[0]
        and zone[1] <= rect[1]
        and rect[0] + rect[2] <= zone[0] + zone[2]
        and rect[1] + rect[3] <= zone[1] + zone[3]
    )


def _assert_apart(notes: list[dict[str, Any]]) -> None:
    for i, a in enumerate(notes):
        for b in notes[i + 1 :]:
            assert not _overlap(a["rect"], b["rect"]), (a["text"], a["rect"], b["text"], b["rect"])


def _saved(someone: Person, board: dict[str, Any], count: int) -> dict[str, Any]:
    """The board as the server has it, once it holds `count` notes with some text."""

    def arrived() -> bool:
        return sum(1 for n in board_json(someone, board)["notes"] if n["text"]) == count

    eventually(arrived, what=f"{count} notes reach the server")
    return board_json(someone, board)


def _type_and_leave(someone: Person, text: str) -> None:
    page = someone.page
    editor = page.locator(".note__editor")
    expect(editor).to_be_focused()
    page.keyboard.type(text)
    page.keyboard.press("Escape")
    expect(editor).to_have_count(0)


def test_n_pressed_many_times_by_two_people_gives_notes_apart_inside_one_zone(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Météo", "meteo")
    camille, dominique = person(), person()
    enter(camille, link(board, "facilitator"), "Camille")
    enter(dominique, link(board, "participant"), "Dominique")
    expect(camille.page.locator(".presence__count")).to_have_text("2 présents")
    for someone in (camille, dominique):
        someone.page.locator(".board-canvas").click(position={"x": 640, "y": 420})
    # Both press N at nearly the same moment, then type: each may not see the other's new note.
    for i in range(4):
        camille.page.keyboard.press("n")
        dominique.page.keyboard.press("n")
        _type_and_leave(camille, f"Camille {i}")
        _type_and_leave(dominique, f"Dominique {i}")
    saved = _saved(camille, board, 8)
    notes = saved["notes"]
    _assert_apart(notes)
    zone_ids = {n["zone"] for n in notes}
    assert len(zone_ids) == 1 and None not in zone_ids, zone_ids
    zone = next(z for z in saved["zones"] if z["id"] in zone_ids)
    for note in notes:
        assert _inside(note["rect"], zone["rect"]), (note["rect"], zone["rect"])
    camille.screenshot("placement-n-two-people")


# A socket.io event carrying one binary frame (`y`, with the document's name): its header, then the
# frame (docs/protocol.md section 4).
_Y_EVENT = re.compile(r'^45\d*-\d*\["y"')
_AWARENESS = 1


class UnsettledLink:
    """One browser's link to the server with presence never getting through (as while presence
    settles: nobody sees anybody), and everything else held back while `holding`, as a slow link
    does, then let through in order."""

    def __init__(self, page: Page) -> None:
        self.holding = False
        self._held: list[tuple[Callable[[str | bytes], None], str | bytes]] = []
        page.route_web_socket(re.compile(r"/socket\.io/"), self._route)

    def _route(self, page_side: WebSocketRoute) -> None:
        server_side = page_side.connect_to_server()
        page_side.on_message(self._relay(server_side.send))
        server_side.on_message(self._relay(page_side.send))

    def _relay(self, send: Callable[[str | bytes], None]) -> Callable[[str | bytes], None]:
        header: list[str | bytes] = []

        def on_message(message: str | bytes) -> None:
            if isinstance(message, str) and _Y_EVENT.match(message):
                header.append(message)  # wait for its frame to see what it is
                return
            if header and isinstance(message, bytes):
                first = header.pop()
                if message[:1] == bytes([_AWARENESS]):
                    return
                self._pass(send, first)
            self._pass(send, message)

        return on_message

    def _pass(self, send: Callable[[str | bytes], None], message: str | bytes) -> None:
        if self.holding:
            self._held.append((send, message))
        else:
            send(message)

    def release(self) -> None:
        self.holding = False
        held, self._held = self._held, []
        for send, message in held:
            send(message)


def test_two_people_pressing_n_before_presence_settles_get_notes_apart(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    # Issue 22 (a gap left): lanes come from presence; before it settles, two people pressing N
    # in the same zone at the same moment got the same free slot.
    board = new_board("Météo", "meteo")
    camille, dominique = person(), person()
    link_of_dominique = UnsettledLink(dominique.page)
    # Both participants: the same screen, the same view, the same nearest free slot.
    enter(camille, link(board, "participant"), "Camille")
    enter(dominique, link(board, "participant"), "Dominique")
    # Neither sees the other in presence: each is alone in its lane.
    for someone in (camille, dominique):
        expect(someone.page.locator(".presence__count")).to_have_text("1 présent")
        someone.page.locator(".board-canvas").click(position={"x": 640, "y": 420})
    for i in range(3):
        # Both press N before either sees the other's new note, then the link catches up.
        link_of_dominique.holding = True
        camille.page.keyboard.press("n")
        _type_and_leave(camille, f"Camille {i}")
        dominique.page.keyboard.press("n")
        _type_and_leave(dominique, f"Dominique {i}")
        link_of_dominique.release()
        count = 2 * (i + 1)
        expect(camille.page.locator(".notes-layer .note")).to_have_count(count)
        expect(dominique.page.locator(".notes-layer .note")).to_have_count(count)

        def apart(count: int = count) -> bool:
            notes = board_json(camille, board)["notes"]
            rects = [n["rect"] for n in notes if n["text"]]
            return len(rects) == count and not any(
                _overlap(a, b) for j, a in enumerate(rects) for b in rects[j + 1 :]
            )

        eventually(apart, what=f"the {count} notes reach the server, none over another")
    saved = board_json(camille, board)
    _assert_apart(saved["notes"])
    zone_ids = {n["zone"] for n in saved["notes"]}
    assert len(zone_ids) == 1 and None not in zone_ids, zone_ids
    # On both screens too (each moved only its own note: the later one gave way).
    for someone in (camille, dominique):
        _assert_apart(
            someone.page.evaluate(
                """() => [...document.querySelectorAll('.notes-layer .note')].map((el) => {
                  const r = el.getBoundingClientRect()
                  return { text: el.textContent, rect: [r.left, r.top, r.width, r.height] }
                })"""
            )
        )
    # Every text is whole, the moved notes' too.
    texts = sorted(n["text"] for n in saved["notes"])
    assert texts == sorted(
        [f"Camille {i}" for i in range(3)] + [f"Dominique {i}" for i in range(3)]
    )


def test_the_add_button_on_a_roadmap_puts_notes_inside_one_cell_never_across_rows(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Feuille de route", "etapes-jalons")
    camille = person()
    enter(camille, link(board, "facilitator"), "Camille")
    page = camille.page
    # Bring the gap between the two rows of the middle column to the middle of the view.
    upper = page.locator(".zone[data-zone=cell-1-3]").bounding_box()
    lower = page.locator(".zone[data-zone=cell-2-3]").bounding_box()
    canvas = page.locator(".board-canvas").bounding_box()
    assert upper and lower and canvas
    gap = (upper["x"] + upper["width"] / 2, (upper["y"] + upper["height"] + lower["y"]) / 2)
    middle = (canvas["x"] + canvas["width"] / 2, canvas["y"] + canvas["height"] / 2)
    start = (upper["x"] + upper["width"] / 2, upper["y"] + upper["height"] / 2)
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(start[0] + middle[0] - gap[0], start[1] + middle[1] - gap[1], steps=8)
    page.mouse.up()
    upper = page.locator(".zone[data-zone=cell-1-3]").bounding_box()
    assert upper and abs(upper["y"] + upper["height"] - middle[1]) < 60

    add = page.get_by_role("button", name="Ajouter un post-it")
    for i in range(4):
        add.click()
        _type_and_leave(camille, f"Étape {i}")
    saved = _saved(camille, board, 4)
    notes = saved["notes"]
    _assert_apart(notes)
    zone_ids = {n["zone"] for n in notes}
    assert len(zone_ids) == 1 and zone_ids <= {"cell-1-3", "cell-2-3"}, zone_ids
    cell = next(z for z in saved["zones"] if z["id"] in zone_ids)
    for note in notes:
        assert _inside(note["rect"], cell["rect"]), (note["rect"], cell["rect"])
    camille.screenshot("placement-roadmap-add-button")


def test_an_idea_from_the_phone_covers_no_note_already_in_its_zone_and_goes_beside_a_full_one(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Météo", "meteo")
    rows = "".join(f"Éclaircies;Idée importée {i}\n" for i in range(8))
    alex = person(**PHONE)
    imported = httpx.post(
        f"{alex.base_url}/api/boards/{board['id']}/import/csv",
        content=f"zone;texte\n{rows}".encode(),
        headers={"Authorization": f"Bearer {board['tokens']['facilitator']}"},
        timeout=10,
    )
    assert imported.status_code == 201, imported.text
    enter(alex, f"/j/{board['joinCode']}", "Alex")
    screen = alex.page.locator(".phone-screen")
    expect(screen).to_be_visible()
    screen.get_by_label("Votre idée").fill("Un peu de soleil")
    screen.get_by_label("Où la poser ?").select_option(label="Éclaircies")
    screen.get_by_role("button", name="Ajouter au tableau").click()
    expect(screen.get_by_role("status")).to_have_text("Idée ajoutée dans « Éclaircies ».")
    notes = _saved(alex, board, 9)["notes"]
    idea = next(n for n in notes if n["text"] == "Un peu de soleil")
    assert idea["zone"] == "eclaircies"
    for other in notes:
        if other is not idea:
            assert not _overlap(idea["rect"], other["rect"]), (idea["rect"], other["rect"])

    # The zone holds ten: the tenth idea takes its last slot, the next goes just beside it (below
    # it, outside every zone), and the person is told.
    for text, status in (
        ("Dixième", "Idée ajoutée dans « Éclaircies »."),
        ("Une de trop", "La zone « Éclaircies » est pleine : idée posée juste à côté."),
    ):
        screen.get_by_label("Votre idée").fill(text)
        screen.get_by_label("Où la poser ?").select_option(label="Éclaircies")
        screen.get_by_role("button", name="Ajouter au tableau").click()
        expect(screen.get_by_role("status")).to_have_text(status)
    saved = _saved(alex, board, 11)
    _assert_apart(saved["notes"])
    beside = next(n for n in saved["notes"] if n["text"] == "Une de trop")
    zone = next(z["rect"] for z in saved["zones"] if z["id"] == "eclaircies")
    assert beside["zone"] is None
    assert not any(_overlap(beside["rect"], z["rect"]) for z in saved["zones"])
    assert zone[0] <= beside["rect"][0] < zone[0] + zone[2]
    assert beside["rect"][1] >= zone[1] + zone[3]


def test_ideas_written_privately_on_two_phones_land_apart(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    board = new_board("Météo", "meteo")
    camille, dominique, ernest = person(), person(**PHONE), person(**PHONE)
    enter(camille, link(board, "facilitator"), "Camille")
    enter(dominique, f"/j/{board['joinCode']}", "Dominique")
    enter(ernest, f"/j/{board['joinCode']}", "Ernest")
    expect(camille.page.locator(".presence__count")).to_have_text("3 présents")
    open_panel(camille.page)
    phase = camille.page.get_by_role("switch", name="Écriture individuelle")
    phase.click()
    expect(phase).to_have_attribute("aria-checked", "true")
    for phone in (dominique, ernest):
        expect(phone.page.locator(".private-bar")).to_be_visible()
    # Neither sees the other's private notes: each picks its slots without knowing the other's.
    for i in range(3):
        for phone, name in ((dominique, "Dominique"), (ernest, "Ernest")):
            screen = phone.page.locator(".phone-screen")
            screen.get_by_label("Votre idée").fill(f"{name} {i}")
            screen.get_by_label("Où la poser ?").select_option(label="Éclaircies")
            screen.get_by_role("button", name="Ajouter au tableau").click()
            expect(screen.get_by_role("status")).to_have_text("Idée ajoutée dans « Éclaircies ».")
    phase.click()
    expect(phase).to_have_attribute("aria-checked", "false")
    notes = _saved(camille, board, 6)["notes"]
    assert {n["zone"] for n in notes} == {"eclaircies"}
    _assert_apart(notes)


def test_a_roadmap_cell_holds_six_readable_ideas_before_one_goes_beside(
    person: Callable[..., Person], e2e_server: ServerProcess
) -> None:
    # Issue 22 (a gap left): a roadmap cell held four notes before one went beside it; its six
    # smaller notes are written smaller, so that a few words still read whole.
    response = httpx.post(
        f"{e2e_server.url}/api/boards",
        json={
            "title": "Feuille de route",
            "template": "etapes-jalons",
            "locale": "fr",
            "parameters": {"axes": ["Accueil", "Outils"]},
        },
        timeout=10,
    )
    assert response.status_code == 201, response.text
    board = response.json()
    camille = person(viewport={"width": 1366, "height": 768})
    enter(camille, link(board, "facilitator"), "Camille")
    page = camille.page
    page.get_by_role("button", name="Liste").click()
    view = page.locator(".list-view")
    view.locator("summary").click()
    ideas = [
        "Un guichet unique",
        "Accueil sans rendez-vous",
        "Horaires élargis",
        "Formation des agents",
        "Signalétique claire",
        "Borne en libre-service",
    ]
    for text in [*ideas, "Une de trop"]:
        view.get_by_label("Votre idée").fill(text)
        view.get_by_label("Où la poser ?").select_option(label="Accueil · 1 mois")
        view.get_by_role("button", name="Ajouter au tableau").click()
        expected = (
            "La zone « Accueil · 1 mois » est pleine : idée posée juste à côté."
            if text == "Une de trop"
            else "Idée ajoutée dans « Accueil · 1 mois »."
        )
        expect(view.locator(".idea__message")).to_have_text(expected)
    saved = _saved(camille, board, 7)
    _assert_apart(saved["notes"])
    cell = next(z for z in saved["zones"] if z["id"] == "cell-1-1")
    inside = [n for n in saved["notes"] if n["zone"] == "cell-1-1"]
    assert sorted(n["text"] for n in inside) == sorted(ideas)
    for note in inside:
        assert _inside(note["rect"], cell["rect"]), (note["rect"], cell["rect"])
    page.get_by_role("button", name="Tableau", exact=True).click()
    for text in ideas:
        note = page.locator(".notes-layer .note", has_text=text)
        expect(note).to_contain_class("is-small")
        expect(note).not_to_contain_class("is-clipped")
