"""Exports, imports and publishing to YesWiki through the real server (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from pycrdt import Map

from tests.conftest import create_board
from tests.integration.test_http_api import assert_error, bearer
from tests.support.bazar import BazarStandIn, Page, ardoise_form
from tests.support.server_process import ServerProcess
from tests.support.yclient import YClient
from tests.support.yeswiki_page import notes, read, show

FORMATS = {
    "yeswiki": "text/plain; charset=utf-8",
    "markdown": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "pdf": "application/pdf",
    "png": "image/png",
}


async def _board_with_notes(url: str, clients: list[YClient]) -> dict[str, Any]:
    board = create_board(url, "Atelier « Mobilités » à Besançon")
    facilitator = YClient(url)
    clients.append(facilitator)
    await facilitator.connect(board["id"], board["tokens"]["facilitator"], {"id": "f", "name": "F"})

    def add_zones(doc: Any) -> None:
        zones = doc.get("zones", type=Map)
        for i, title in enumerate(["Où aller ?", "Par quelles étapes ?"]):
            zones[f"z{i}"] = Map(
                {"title": title, "rect": [400 * i, 0, 400, 600], "order": i, "row": "", "col": ""}
            )

    assert await facilitator.write("layout", add_zones) == {"ok": True}
    await facilitator.add_note("a", "Des pistes **cyclables** == partout", x=20, y=60)
    await facilitator.add_note("b", '{{include page="Admin"}} [[http://evil.example x]]', x=420)
    await facilitator.add_note("c", "Hors zone", x=3000, y=3000)
    return board


async def test_every_format_downloads_for_every_role(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = await _board_with_notes(server.url, clients)
    for role in ("facilitator", "participant", "observer"):
        for fmt, media in FORMATS.items():
            response = httpx.get(
                f"{server.url}/api/boards/{board['id']}/export/{fmt}",
                headers=bearer(board["tokens"][role]),
                timeout=30,
            )
            assert response.status_code == 200, response.text
            assert response.headers["content-type"] == media
            disposition = response.headers["content-disposition"]
            assert disposition.startswith('attachment; filename="atelier-mobilites-a-besancon-')
            assert "filename*=UTF-8''Atelier%20%C2%AB%20Mobilit%C3%A9s" in disposition
    wiki = httpx.get(
        f"{server.url}/api/boards/{board['id']}/export/yeswiki",
        headers=bearer(board["tokens"]["observer"]),
    ).text
    # Nothing a note holds is read as wiki markup (`show` refuses any construct); every note
    # shows as written, in its zone, under the board's title.
    page = read(show(wiki))
    assert [(n.text, n.place) for n in notes(page)] == [
        ("Des pistes **cyclables** == partout", "Où aller ?"),
        ('{{include page="Admin"}} [[http://evil.example x]]', "Par quelles étapes ?"),
        ("Hors zone", ""),
    ]
    assert [h.text() for h in page.find("ardoise-titre")] == ["Atelier « Mobilités » à Besançon"]
    assert "{{include" not in wiki.replace("<span>{</span>{include", "")


def test_export_refusals(server: ServerProcess) -> None:
    board = create_board(server.url)
    url = f"{server.url}/api/boards/{board['id']}/export"
    token = bearer(board["tokens"]["participant"])
    assert_error(httpx.get(f"{url}/docx", headers=token), 404, "not_found")
    assert_error(httpx.get(f"{url}/csv"), 401, "unauthorized")
    assert_error(httpx.get(f"{url}/csv", headers=bearer("nope")), 401, "unauthorized")
    assert_error(
        httpx.get(f"{server.url}/api/boards/nope/export/csv", headers=token), 404, "not_found"
    )


async def test_json_export_then_import_gives_the_same_board(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = await _board_with_notes(server.url, clients)
    headers = bearer(board["tokens"]["facilitator"])
    exported = httpx.get(f"{server.url}/api/boards/{board['id']}/export/json", headers=headers)
    response = httpx.post(
        f"{server.url}/api/boards/import",
        content=exported.content,
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 201, response.text
    copy = response.json()
    assert set(copy) >= {"id", "title", "joinCode", "tokens", "links"} and copy["id"] != board["id"]
    again = httpx.get(
        f"{server.url}/api/boards/{copy['id']}/export/json",
        headers=bearer(copy["tokens"]["facilitator"]),
    ).json()
    first = exported.json()
    assert again["board"] == first["board"]
    assert len(again["board"]["notes"]) == 3


@pytest.mark.parametrize(
    ("body", "status", "where"),
    [
        ("not json", 400, "JSON"),
        ('{"format": "other"}', 422, "format"),
        ('{"format": "ardoise.board", "version": 9}', 422, "version"),
        ('{"format": "ardoise.board", "version": 1, "board": {"title": ""}}', 422, "title"),
        (
            '{"format": "ardoise.board", "version": 1, "board": {"title": "t", '
            '"notes": [{"id": "a", "text": 3}]}}',
            422,
            "board.notes[0].text",
        ),
    ],
)
def test_bad_board_files_are_refused_with_what_is_wrong(
    server: ServerProcess, body: str, status: int, where: str
) -> None:
    response = httpx.post(
        f"{server.url}/api/boards/import",
        content=body,
        headers={"content-type": "application/json"},
    )
    assert_error(response, status, "bad_request" if status == 400 else "invalid")
    assert where in response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "version : la version 9 n\u2019est pas prise en charge (ce serveur lit la 1)"),
        (
            "?locale=fr",
            "version : la version 9 n\u2019est pas prise en charge (ce serveur lit la 1)",
        ),
        ("?locale=en", "version: 9 is not supported (this server reads 1)"),
    ],
)
def test_a_refused_board_file_is_explained_in_the_importers_language(
    server: ServerProcess, query: str, message: str
) -> None:
    response = httpx.post(
        f"{server.url}/api/boards/import{query}",
        content='{"format": "ardoise.board", "version": 9}',
        headers={"content-type": "application/json"},
    )
    assert_error(response, 422, "invalid")
    assert response.json()["error"]["message"] == message


async def test_csv_import_places_notes_in_named_zones(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = await _board_with_notes(server.url, clients)
    csv_body = (
        "\ufeffzone;texte;couleur;auteur\r\n"
        "où aller ?;Une ligne de tram;vert;Alix\r\n"
        "Zone inconnue;Sans zone;;\r\n"
        'Par quelles étapes ?;"Deux\nlignes";bleu;\r\n'
    ).encode()
    url = f"{server.url}/api/boards/{board['id']}/import/csv"
    assert_error(
        httpx.post(url, content=csv_body, headers=bearer(board["tokens"]["participant"])),
        403,
        "forbidden",
    )
    response = httpx.post(url, content=csv_body, headers=bearer(board["tokens"]["facilitator"]))
    assert response.status_code == 201, response.text
    assert response.json()["added"] == 3 and response.json()["inZones"] == 2
    data = httpx.get(
        f"{server.url}/api/boards/{board['id']}", headers=bearer(board["tokens"]["facilitator"])
    ).json()
    zones = {n["text"]: (n["zone"], n["color"]) for n in data["notes"]}
    assert zones["Une ligne de tram"] == ("z0", "green")
    assert zones["Deux\nlignes"] == ("z1", "blue")
    assert zones["Sans zone"] == (None, "yellow")
    bad = "texte;couleur\r\nidée;fuchsia\r\n".encode()
    facilitator = bearer(board["tokens"]["facilitator"])
    # The reason is in the importer's language: French first, else as asked.
    response = httpx.post(url, content=bad, headers=facilitator)
    assert_error(response, 422, "invalid")
    assert response.json()["error"]["message"].startswith("ligne 2 : couleur inconnue 'fuchsia'")
    response = httpx.post(f"{url}?locale=en", content=bad, headers=facilitator)
    assert response.json()["error"]["message"].startswith("line 2: unknown colour 'fuchsia'")
    response = httpx.post(url, content=bad, headers={**facilitator, "Accept-Language": "en-GB"})
    assert response.json()["error"]["message"].startswith("line 2: unknown colour")


def _overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


async def test_csv_import_of_many_rows_into_a_zone_covers_no_note(
    server: ServerProcess, clients: list[YClient]
) -> None:
    """Rows go to free slots of their zone, then beside it: never on a note, never in another zone
    (docs/board-schema.md, "Where a new note goes")."""
    board = await _board_with_notes(server.url, clients)
    rows = "".join(f"Où aller ?;Idée {i};;\r\n" for i in range(120))
    response = httpx.post(
        f"{server.url}/api/boards/{board['id']}/import/csv",
        content=f"zone;texte;couleur;auteur\r\n{rows}".encode(),
        headers=bearer(board["tokens"]["facilitator"]),
    )
    assert response.status_code == 201, response.text
    data = httpx.get(
        f"{server.url}/api/boards/{board['id']}", headers=bearer(board["tokens"]["facilitator"])
    ).json()
    rects = [n["rect"] for n in data["notes"]]
    assert len(rects) == 123
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            assert not _overlap(a, b), (a, b)
    imported = sorted(
        (n for n in data["notes"] if n["text"].startswith("Idée ")), key=lambda n: n["z"]
    )
    in_zone = [n for n in imported if n["zone"] == "z0"]
    # The zone's free slots first, in reading order; then beside it, outside every zone.
    assert len(in_zone) >= 6
    zx, zy, zw, zh = next(z["rect"] for z in data["zones"] if z["id"] == "z0")
    for x, y, w, h in (n["rect"] for n in in_zone):
        assert zx <= x and x + w <= zx + zw and zy <= y and y + h <= zy + zh
    assert [n["text"] for n in in_zone] == [f"Idée {i}" for i in range(len(in_zone))]
    zone_rects = [z["rect"] for z in data["zones"]]
    for note in imported[len(in_zone) :]:
        assert note["zone"] is None
        assert not any(_overlap(note["rect"], z) for z in zone_rects)


# ---- publishing --------------------------------------------------------------------------------

KEY = "cle-de-test-0123456789"
NAME = "AtelierMobilitesABesancon"


@pytest.fixture
def bazar() -> Iterator[BazarStandIn]:
    wiki = BazarStandIn(KEY)
    yield wiki
    wiki.close()


def _wiki_env(url: str, key: str = KEY, form: str = "7") -> dict[str, str]:
    return {
        "ARDOISE_YESWIKI_URL": url,
        "ARDOISE_YESWIKI_FORM_ID": form,
        "ARDOISE_YESWIKI_API_KEY": key,
        "ARDOISE_YESWIKI_TIMEOUT_S": "1",
    }


def _publish(server: ServerProcess, board: dict[str, Any]) -> httpx.Response:
    return httpx.post(
        f"{server.url}/api/boards/{board['id']}/publish/yeswiki",
        headers=bearer(board["tokens"]["facilitator"]),
        timeout=10,
    )


def test_publishing_is_off_until_configured(server: ServerProcess) -> None:
    board = create_board(server.url)
    url = f"{server.url}/api/boards/{board['id']}/publish/yeswiki"
    headers = bearer(board["tokens"]["facilitator"])
    assert httpx.get(url, headers=headers).json() == {"configured": False, "wiki": None}
    assert_error(httpx.post(url, headers=headers), 409, "conflict")
    for role in ("participant", "observer"):
        assert_error(httpx.post(url, headers=bearer(board["tokens"][role])), 403, "forbidden")


async def test_publishing_writes_the_board_s_entry_which_the_wiki_stores_and_shows_as_written(
    own_server: Any, bazar: BazarStandIn, clients: list[YClient]
) -> None:
    server = own_server(**_wiki_env(bazar.url))
    board = await _board_with_notes(server.url, clients)
    url = f"{server.url}/api/boards/{board['id']}/publish/yeswiki"
    headers = bearer(board["tokens"]["facilitator"])
    assert httpx.get(url, headers=headers).json() == {"configured": True, "wiki": bazar.url}
    response = _publish(server, board)
    assert response.status_code == 201, response.text
    assert response.json() == {"url": f"{bazar.url}/?{NAME}"}
    # The form is checked, then the name, before anything is written; then how it shows.
    assert [(r.method, r.path) for r in bazar.received] == [
        ("GET", "/?api/forms/7"),
        ("GET", f"/?api/entries/json/{NAME}"),
        ("GET", f"/?api/pages/{NAME}"),
        ("POST", "/?api/entries/7"),
        ("GET", f"/?api/entries/html/{NAME}&fields=html_output"),
    ]
    sent = bazar.posts()[-1]
    assert sent.auth == f"Bearer {KEY}" and sent.type == "application/x-www-form-urlencoded"
    fields = sent.fields
    assert fields["bf_titre"].startswith("Atelier « Mobilités » à Besançon — ")
    assert fields["id_typeannonce"] == "7" and fields["id_fiche"] == NAME
    # No title in the page: the entry shows its own.
    assert fields["bf_description"].startswith('""<p class="ardoise-export ardoise-tableau-')
    assert "ardoise-titre" not in fields["bf_description"]
    # Stored byte for byte through the real HTMLPurifier, and shown as written.
    entry = bazar.entry(NAME)
    assert entry is not None and entry["bf_description"] == fields["bf_description"]
    shown = notes(read(show(entry["bf_description"])))
    assert [(n.text, n.place) for n in shown] == [
        ("Des pistes **cyclables** == partout", "Où aller ?"),
        ('{{include page="Admin"}} [[http://evil.example x]]', "Par quelles étapes ?"),
        ("Hors zone", ""),
    ]
    assert entry["bf_titre"] == fields["bf_titre"]

    # Published again: the same entry, a new revision of it.
    assert await clients[0].add_note("d", "Une de plus", x=30, y=200) == {"ok": True}
    again = _publish(server, board)
    assert again.json() == {"url": f"{bazar.url}/?{NAME}"}
    assert bazar.pages[NAME.lower()].revisions == 2
    assert bazar.posts()[-1].fields["id_fiche"] == NAME
    entry = bazar.entry(NAME)
    assert entry is not None and "Une de plus" in entry["bf_description"]
    assert len([p for p in bazar.pages if p.startswith(NAME.lower())]) == 1
    assert KEY not in server.log()


async def test_a_name_taken_by_another_page_or_board_is_never_written_over(
    own_server: Any, bazar: BazarStandIn, clients: list[YClient]
) -> None:
    server = own_server(**_wiki_env(bazar.url))
    # A plain page, then another board's entry of the same form, under the names it would want.
    bazar.pages[NAME.lower()] = Page(NAME, "WikiAdmin", None)
    other = await _board_with_notes(server.url, clients)
    board = await _board_with_notes(server.url, clients)
    assert _publish(server, other).json() == {"url": f"{bazar.url}/?{NAME}2"}
    assert _publish(server, board).json() == {"url": f"{bazar.url}/?{NAME}3"}
    # Each keeps its own on the next publication; the page was never written to.
    assert _publish(server, other).json() == {"url": f"{bazar.url}/?{NAME}2"}
    assert _publish(server, board).json() == {"url": f"{bazar.url}/?{NAME}3"}
    assert bazar.pages[NAME.lower()].entry is None
    assert bazar.pages[f"{NAME.lower()}2"].revisions == 2
    assert {p.fields["id_fiche"] for p in bazar.posts()} == {f"{NAME}2", f"{NAME}3"}


async def test_an_entry_that_lost_its_mark_is_no_longer_the_board_s(
    own_server: Any, bazar: BazarStandIn, clients: list[YClient]
) -> None:
    """A wiki user who rewrites the entry without Ardoise's mark makes it theirs."""
    server = own_server(**_wiki_env(bazar.url))
    board = await _board_with_notes(server.url, clients)
    assert _publish(server, board).json() == {"url": f"{bazar.url}/?{NAME}"}
    entry = bazar.entry(NAME)
    assert entry is not None
    entry["bf_description"] = "Réécrit à la main"
    assert _publish(server, board).json() == {"url": f"{bazar.url}/?{NAME}2"}
    assert bazar.entry(NAME) == entry


async def test_a_wiki_that_shows_raw_html_as_text_is_told_with_the_link(
    own_server: Any, bazar: BazarStandIn, clients: list[YClient]
) -> None:
    bazar.allow_raw_html = False
    server = own_server(**_wiki_env(bazar.url))
    board = await _board_with_notes(server.url, clients)
    response = _publish(server, board)
    assert response.status_code == 201, response.text
    assert response.json() == {
        "url": f"{bazar.url}/?{NAME}",
        "warning": {
            "reason": "raw_html_off",
            "message": (
                "la fiche est publiée, mais le wiki affiche sa mise en page comme du texte : son "
                "administrateur doit remettre 'allow_raw_html' => true dans wakka.config.php "
                "(le réglage par défaut de YesWiki), puis republier"
            ),
        },
    }
    bazar.allow_raw_html = True
    assert _publish(server, board).json() == {"url": f"{bazar.url}/?{NAME}"}


@pytest.mark.parametrize(
    ("change", "env", "words", "wiki"),
    [
        (
            "",
            {"key": "wrong-key"},
            "api_allowed_keys sous le nom d\u2019un utilisateur du wiki qui existe",
            {"reason": "key", "mayExist": False},
        ),
        (
            "no-user",
            {},
            "api_allowed_keys sous le nom d\u2019un utilisateur du wiki qui existe",
            {"reason": "key", "mayExist": False},
        ),
        (
            "",
            {"form": "8"},
            "le wiki n\u2019a pas de formulaire Bazar n° 8 : vérifiez ARDOISE_YESWIKI_FORM_ID",
            {"reason": "form_missing", "mayExist": False},
        ),
        (
            "html-field",
            {},
            "un champ texte long bf_description en syntaxe wiki",
            {"reason": "form_fields", "mayExist": False},
        ),
        (
            "moved",
            {},
            "renvoie vers une autre adresse (https://127.0.0.1:",
            {"reason": "redirect", "mayExist": False},
        ),
        ("error", {}, "a rencontré une erreur", {"reason": "wiki_error", "mayExist": False}),
        ("garbage", {}, "réponse inattendue", {"reason": "unexpected", "mayExist": True}),
        ("slow", {}, "n\u2019a pas répondu à temps", {"reason": "timeout", "mayExist": True}),
        (
            "",
            {"url": "http://127.0.0.1:9"},
            "injoignable",
            {"reason": "unreachable", "mayExist": False},
        ),
    ],
    ids=[
        "bad-key",
        "key-of-no-user",
        "unknown-form",
        "form-without-wiki-field",
        "moved",
        "wiki-error",
        "garbage",
        "timeout",
        "unreachable",
    ],
)
async def test_wiki_failures_are_told_in_words_with_what_to_fix(
    own_server: Any,
    bazar: BazarStandIn,
    change: str,
    env: dict[str, str],
    words: str,
    wiki: dict[str, Any],
) -> None:
    if change == "no-user":
        bazar.users.discard("ArdoiseBot")
    elif change == "html-field":
        bazar.forms["7"] = ardoise_form(syntax="html")
    elif change:
        bazar.mode = change
    server = own_server(
        **_wiki_env(env.get("url", bazar.url), env.get("key", KEY), env.get("form", "7"))
    )
    board = create_board(server.url)
    response = _publish(server, board)
    assert_error(response, 502, "unavailable", frozenset({"wiki"}))
    assert words in response.json()["error"]["message"]
    # The same, for a client that does not read French: why, and whether to look before retrying.
    assert response.json()["error"]["wiki"] == wiki
    if wiki["reason"] in ("form_missing", "form_fields", "redirect", "unreachable"):
        # Refused before writing: no entry, not even an orphan one.
        assert bazar.posts() == [] and not any(p.entry for p in bazar.pages.values())


def test_a_refusal_is_said_in_the_board_s_language(own_server: Any, bazar: BazarStandIn) -> None:
    server = own_server(**_wiki_env(bazar.url, form="8"))
    board = create_board(server.url, locale="en")
    response = _publish(server, board)
    assert response.json()["error"]["message"] == (
        "the wiki has no Bazar form number 8: check ARDOISE_YESWIKI_FORM_ID (nothing was published)"
    )


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({}, "le fichier de tableau imbrique ses objets ou ses listes trop profondément"),
        ({"Accept-Language": "en"}, "the board file nests its objects or arrays too deeply"),
    ],
)
def test_a_board_file_nested_100_000_deep_is_refused_in_the_importers_language(
    server: ServerProcess, headers: dict[str, str], message: str
) -> None:
    deep = '{"format": "ardoise.board", "version": 1, "board": ' + "[" * 100_000 + "]" * 100_000
    response = httpx.post(
        f"{server.url}/api/boards/import",
        content=deep + "}",
        headers={"content-type": "application/json", **headers},
    )
    assert_error(response, 422, "invalid")
    assert response.json()["error"]["message"] == message


def test_a_json_request_nested_deep_is_a_bad_request(server: ServerProcess) -> None:
    body = '{"title": ' + "[" * 30_000 + "]" * 30_000 + "}"
    response = httpx.post(
        f"{server.url}/api/boards", content=body, headers={"content-type": "application/json"}
    )
    assert_error(response, 400, "bad_request")


def _board_file(title: str) -> str:
    return json.dumps({"format": "ardoise.board", "version": 1, "board": {"title": title}})


def test_a_restored_title_has_the_limits_of_a_new_board_s(server: ServerProcess) -> None:
    """One rule for POST /api/boards and a board file: trimmed, 1 to 200 characters."""
    for title in ("x" * 201, "x" * 10_000):
        created = httpx.post(f"{server.url}/api/boards", json={"title": title})
        assert_error(created, 422, "invalid")
        restored = httpx.post(
            f"{server.url}/api/boards/import?locale=en",
            content=_board_file(title),
            headers={"content-type": "application/json"},
        )
        assert_error(restored, 422, "invalid")
        assert restored.json()["error"]["message"] == "board.title: is over 200 characters"
    longest = "  " + "é" * 200 + "  "
    created = httpx.post(f"{server.url}/api/boards", json={"title": longest})
    assert created.status_code == 201 and created.json()["title"] == "é" * 200
    restored = httpx.post(
        f"{server.url}/api/boards/import",
        content=_board_file(longest),
        headers={"content-type": "application/json"},
    )
    assert restored.status_code == 201, restored.text
    assert restored.json()["title"] == "é" * 200
    board = httpx.get(
        f"{server.url}/api/boards/{restored.json()['id']}",
        headers=bearer(restored.json()["tokens"]["facilitator"]),
    ).json()
    assert board["title"] == "é" * 200


def _export(url: str, board: dict[str, Any], fmt: str) -> str:
    response = httpx.get(
        f"{url}/api/boards/{board['id']}/export/{fmt}",
        headers=bearer(board["tokens"]["observer"]),
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.content.decode("utf-8-sig")


async def _voting_board_nobody_voted(
    url: str, clients: list[YClient], locale: str
) -> dict[str, Any]:
    """A board made from a template whose texts hold apostrophes, with a public vote open and no
    vote cast yet: every note's tally is shown, and is zero."""
    board = create_board(
        url, "Bilan de l\u2019atelier", template="chroniques-etonnement", locale=locale
    )
    facilitator = YClient(url)
    clients.append(facilitator)
    await facilitator.connect(board["id"], board["tokens"]["facilitator"], {"name": "F"})

    def public_vote(doc: Any) -> None:
        doc.get("meta", type=Map)["voting"] = Map(
            {"state": "open", "secret": False, "revealed": False, "budget": 5}
        )

    assert await facilitator.write("layout", public_vote) == {"ok": True}
    assert await facilitator.add_note("a", "Plus de temps", x=3000, y=3000) == {"ok": True}
    assert await facilitator.add_note("b", "Un café", x=3200, y=3000, color="green") == {"ok": True}
    return board


async def test_exports_speak_the_interfaces_words_in_one_language(
    server: ServerProcess, clients: list[YClient]
) -> None:
    # Issue 22, point 17: exports said "notes" where the interface says "post-it", printed
    # "0 vote" on every idea when nobody had voted, the CSV had French headers and English colour
    # names, and straight and curly apostrophes were mixed.
    board = await _voting_board_nobody_voted(server.url, clients, "fr")
    texts = {fmt: _export(server.url, board, fmt) for fmt in ("markdown", "yeswiki", "csv")}
    for fmt, text in texts.items():
        assert "0 vote" not in text, fmt
        assert " notes" not in text and "Autres notes" not in text, fmt
        assert "'" not in text.replace("'allow_raw_html'", ""), fmt  # one apostrophe: U+2019
    assert "2 post-it, aucun vote" in texts["markdown"]
    assert "## Autres post-it" in texts["markdown"]
    assert "Ce qui m\u2019étonne" in texts["markdown"]
    header, first, second = texts["csv"].splitlines()
    assert header == (
        "zone;ligne;colonne;texte;couleur;auteur;votes;réactions;commentaires;créé le (UTC);"
        "légende;thème"
    )
    assert first.split(";")[4] == "jaune" and second.split(";")[4] == "vert"
    assert first.split(";")[6] == "0"  # a column of numbers keeps its zero
    # One language per file: an English board's CSV is English throughout.
    english = await _voting_board_nobody_voted(server.url, clients, "en")
    header, first, second = _export(server.url, english, "csv").splitlines()
    assert header.split(";")[4] == "colour" and (first.split(";")[4], second.split(";")[4]) == (
        "yellow",
        "green",
    )
    markdown = _export(server.url, english, "markdown")
    assert "2 sticky notes, no votes" in markdown and "0 votes" not in markdown
    # The French CSV goes back in: the import reads French colour names.
    response = httpx.post(
        f"{server.url}/api/boards/{english['id']}/import/csv",
        content=texts["csv"].encode("utf-8"),
        headers=bearer(english["tokens"]["facilitator"]),
    )
    assert response.status_code == 201, response.text
    assert response.json()["added"] == 2
