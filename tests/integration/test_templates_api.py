"""Templates over HTTP: the gallery, boards from parameters, save as template, export and import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from pycrdt import Map
from sqlalchemy import update

from server.boards.templates.library import DEFAULT_TEMPLATES_DIR
from server.storage.engine import create_engine
from server.storage.tables import custom_templates
from tests.conftest import create_board
from tests.integration.test_http_api import assert_error, bearer
from tests.support.server_process import ServerProcess
from tests.support.yclient import YClient

SHIPPED = [
    "blank",
    "ou-aller",
    "etapes-jalons",
    "rotations",
    "chroniques-etonnement",
    "meteo",
    "forum-ouvert",
    "pro-action-cafe",
]
AXES = ["Urgences et coopérations", "Accélération des initiatives de terrain"]
HORIZONS = ["1 mois", "6 mois", "1 an", "2 ans", "Idéal"]


def templates(
    server: ServerProcess, locale: str = "fr", keys: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    """The gallery, with the custom templates whose keys are given (their author's browser)."""
    headers = {"X-Ardoise-Template-Keys": ", ".join(keys)} if keys else {}
    response = httpx.get(f"{server.url}/api/templates?locale={locale}", headers=headers)
    assert response.status_code == 200, response.text
    listed: list[dict[str, Any]] = response.json()
    return listed


async def layout_zones(server: ServerProcess, board: dict[str, Any], clients: list[YClient]) -> Any:
    """The zones a participant's client holds after joining the board."""
    client = YClient(server.url)
    clients.append(client)
    await client.connect(board["id"], board["tokens"]["participant"], {"id": "p", "name": "Paul"})
    zones = client.docs["layout"].get("zones", type=Map).to_py() or {}
    return sorted(zones.values(), key=lambda z: z["order"])


def import_file(
    server: ServerProcess,
    text: str | bytes,
    board: dict[str, Any],
    role: str = "facilitator",
    **extra_headers: str,
):
    headers = {
        "Content-Type": "application/toml",
        "X-Ardoise-Board": board["id"],
        **bearer(board["tokens"][role]),
        **extra_headers,
    }
    body = text.encode() if isinstance(text, str) else text
    return httpx.post(f"{server.url}/api/templates", content=body, headers=headers)


def test_gallery_lists_every_shipped_template_with_a_preview_in_both_languages(
    server: ServerProcess,
) -> None:
    french, english = templates(server, "fr"), templates(server, "en")
    assert [t["id"] for t in french][: len(SHIPPED)] == SHIPPED
    roadmap_fr = next(t for t in french if t["id"] == "etapes-jalons")
    roadmap_en = next(t for t in english if t["id"] == "etapes-jalons")
    assert roadmap_fr["name"] == "Étapes et jalons" and roadmap_en["name"] == "Steps and milestones"
    assert [z["title"] for z in roadmap_fr["zones"]] == HORIZONS * 2
    assert [z["row"] for z in roadmap_fr["zones"]] == [AXES[0]] * 5 + [AXES[1]] * 5
    assert roadmap_en["zones"][4]["title"] == "Ideal"
    assert roadmap_fr["parameters"][0]["name"] == "axes"
    assert roadmap_fr["parameters"][0]["maxItems"] == 8
    for entry in french:
        assert set(entry) >= {"id", "name", "description", "parameters", "zones", "custom"}
        if entry["id"] in SHIPPED:
            assert entry["custom"] is False
    assert next(t for t in french if t["id"] == "blank")["zones"] == []


async def test_roadmap_board_with_two_axes_has_ten_cells_for_a_joining_client(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = create_board(
        server.url, template="etapes-jalons", locale="fr", parameters={"axes": AXES}
    )
    zones = await layout_zones(server, board, clients)
    assert len(zones) == 10
    assert [(z["row"], z["col"]) for z in zones] == [(a, h) for a in AXES for h in HORIZONS]
    assert [z["title"] for z in zones] == HORIZONS * 2
    english = create_board(
        server.url, template="etapes-jalons", locale="en", parameters={"axes": ["Santé"]}
    )
    zones = await layout_zones(server, english, clients)
    assert [(z["row"], z["col"]) for z in zones][:2] == [
        ("Santé", "1 month"),
        ("Santé", "6 months"),
    ]


async def test_hostile_axis_text_is_kept_as_plain_text(
    server: ServerProcess, clients: list[YClient]
) -> None:
    hostile = ["<script>alert('x')</script>", "==titre== **gras**"]
    board = create_board(server.url, template="ou-aller", parameters={"axes": hostile})
    zones = await layout_zones(server, board, clients)
    assert [z["row"] for z in zones] == [hostile[0]] * 3 + [hostile[1]] * 3
    data = httpx.get(
        f"{server.url}/api/boards/{board['id']}", headers=bearer(board["tokens"]["observer"])
    ).json()
    assert {z["row"] for z in data["zones"]} == set(hostile)


@pytest.mark.parametrize(
    ("template", "parameters", "fragment"),
    [
        ("etapes-jalons", {"axes": ["x" * 121]}, "'axes'"),
        ("etapes-jalons", {"axes": ["a\u0000b"]}, "'axes'"),
        ("etapes-jalons", {"axes": [str(n) for n in range(9)]}, "'axes'"),
        ("etapes-jalons", {"axes": "Santé"}, "'axes'"),
        ("etapes-jalons", {"axe": ["Santé"]}, "'axe'"),
        ("blank", {"axes": ["Santé"]}, "'axes'"),
        ("forum-ouvert", {"spaces": []}, "'spaces'"),
    ],
    ids=["too-long", "control", "too-many", "not-a-list", "unknown", "none-taken", "too-few"],
)
def test_bad_parameters_are_refused_naming_the_parameter(
    server: ServerProcess, template: str, parameters: dict[str, Any], fragment: str
) -> None:
    response = httpx.post(
        f"{server.url}/api/boards",
        json={"title": "t", "template": template, "parameters": parameters},
    )
    assert_error(response, 422, "invalid")
    assert fragment in response.json()["error"]["message"]


async def test_a_board_saved_as_a_template_makes_the_same_board(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = create_board(server.url, template="etapes-jalons", parameters={"axes": AXES})
    facilitator = YClient(server.url)
    clients.append(facilitator)
    await facilitator.connect(board["id"], board["tokens"]["facilitator"])

    def add_zone(doc: Any) -> None:
        doc.get("zones", type=Map)["extra"] = Map(
            {
                "title": "Parking",
                "hint": "",
                "rect": [40, 1000, 400, 200],
                "color": "grey",
                "order": 99,
                "row": "",
                "col": "",
            }
        )

    assert await facilitator.write("layout", add_zone) == {"ok": True}
    url = f"{server.url}/api/boards/{board['id']}/save-as-template"
    body = {"name": "Feuille de route « santé »"}
    assert_error(httpx.post(url, json=body), 401, "unauthorized")
    assert_error(
        httpx.post(url, json=body, headers=bearer(board["tokens"]["participant"])), 403, "forbidden"
    )
    assert_error(
        httpx.post(url, json={"name": ""}, headers=bearer(board["tokens"]["facilitator"])),
        422,
        "invalid",
    )
    response = httpx.post(url, json=body, headers=bearer(board["tokens"]["facilitator"]))
    assert response.status_code == 201, response.text
    saved = response.json()
    assert saved["custom"] is True and saved["name"] == body["name"]
    assert saved["id"].startswith("feuille-de-route-sante-")
    listed = templates(server, "en", keys=(saved["key"],))
    assert [t["id"] for t in listed][: len(SHIPPED)] == SHIPPED
    entry = next(t for t in listed if t["id"] == saved["id"])
    assert entry["custom"] is True and len(entry["zones"]) == 11
    assert entry["mine"] is True

    copy = create_board(server.url, template=saved["id"], locale="en")
    original = await layout_zones(server, board, clients)
    again = await layout_zones(server, copy, clients)
    keys = ("title", "hint", "rect", "color", "row", "col")
    assert [[z[k] for k in keys] for z in again] == [[z[k] for k in keys] for z in original]
    assert again[-1]["title"] == "Parking"


def test_a_template_file_is_downloaded_and_imported_again(server: ServerProcess) -> None:
    response = httpx.get(f"{server.url}/api/templates/etapes-jalons/file")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/toml")
    assert response.headers["content-disposition"] == 'attachment; filename="etapes-jalons.toml"'
    assert response.text == (DEFAULT_TEMPLATES_DIR / "etapes-jalons.toml").read_text("utf-8")
    board = create_board(server.url)
    imported = import_file(server, response.text, board)
    assert imported.status_code == 201, imported.text
    summary = imported.json()
    assert summary["custom"] is True and summary["id"] != "etapes-jalons"
    assert summary["id"].startswith("etapes-et-jalons-")
    assert any(t["id"] == summary["id"] for t in templates(server, keys=(summary["key"],)))
    # The imported copy takes the same parameters as the shipped one.
    create_board(server.url, template=summary["id"], parameters={"axes": ["Un", "Deux", "Trois"]})
    exported = httpx.get(f"{server.url}/api/templates/{summary['id']}/file")
    assert exported.status_code == 200 and exported.text == response.text
    assert_error(httpx.get(f"{server.url}/api/templates/nope/file"), 404, "not_found")


def test_a_refused_template_file_is_explained_in_the_importer_s_language(
    server: ServerProcess,
) -> None:
    board = create_board(server.url)
    text = (DEFAULT_TEMPLATES_DIR / "meteo.toml").read_text("utf-8")
    sunny = 'id = "soleil"\norder = 1\n'
    assert sunny in text
    broken = text.replace(sunny, 'id = "soleil"\norder = "un"\n')
    french = "Fichier envoyé : zone 'soleil' : order doit être un nombre entier"
    english = "Uploaded file: zone 'soleil': order must be a whole number"
    for headers, expected in (
        ({}, french),
        ({"Accept-Language": "en-GB,en;q=0.8"}, english),
        ({"Accept-Language": "de-DE"}, french),
    ):
        refused = import_file(server, broken, board, **headers)
        assert_error(refused, 422, "invalid")
        assert refused.json()["error"]["message"] == expected
    latin1 = "# Modèle\n".encode("latin-1") + broken.encode()
    for headers, expected in (
        ({}, "Fichier envoyé : le fichier de modèle doit être un texte en UTF-8"),
        ({"Accept-Language": "en"}, "Uploaded file: the template file must be UTF-8 text"),
    ):
        refused = import_file(server, latin1, board, **headers)
        assert_error(refused, 422, "invalid")
        assert refused.json()["error"]["message"] == expected


def test_import_needs_a_facilitator_token_and_a_valid_file(server: ServerProcess) -> None:
    text = (DEFAULT_TEMPLATES_DIR / "meteo.toml").read_text("utf-8")
    board, other = create_board(server.url), create_board(server.url)
    url = f"{server.url}/api/templates"
    toml = {"Content-Type": "application/toml"}
    assert_error(httpx.post(url, content=text, headers=toml), 401, "unauthorized")
    no_board = {**toml, **bearer(board["tokens"]["facilitator"])}
    assert_error(httpx.post(url, content=text, headers=no_board), 401, "unauthorized")
    wrong_board = {**no_board, "X-Ardoise-Board": other["id"]}
    assert_error(httpx.post(url, content=text, headers=wrong_board), 401, "unauthorized")
    assert_error(import_file(server, text, board, role="participant"), 403, "forbidden")
    assert_error(import_file(server, text, board, role="observer"), 403, "forbidden")

    broken = import_file(server, text.replace('"purple"', '"violet"'), board)
    assert_error(broken, 422, "invalid")
    assert broken.json()["error"]["message"].startswith(
        "Fichier envoyé : zone 'orage' : la couleur 'violet' n\u2019est pas l\u2019une de "
        "blue, green,"
    )
    assert_error(import_file(server, "not = [toml", board), 422, "invalid")
    assert_error(import_file(server, text.replace("en = ", "de = ", 1), board), 422, "invalid")
    as_json = {**wrong_board, "X-Ardoise-Board": board["id"], "Content-Type": "application/json"}
    assert_error(httpx.post(url, content=text, headers=as_json), 400, "bad_request")
    huge = text + "#" * (65 * 1024)
    assert_error(import_file(server, huge, board), 413, "payload_too_large")
    plain = {**as_json, "Content-Type": "text/plain; charset=utf-8"}
    assert httpx.post(url, content=text.encode(), headers=plain).status_code == 201


def test_a_broken_template_stops_the_server_naming_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    for path in DEFAULT_TEMPLATES_DIR.glob("*.toml"):
        (folder / path.name).write_text(path.read_text("utf-8"), encoding="utf-8")
    rotations = (folder / "rotations.toml").read_text("utf-8")
    (folder / "rotations.toml").write_text(rotations.replace("order = 2", "order = 1"), "utf-8")
    database = f"sqlite+aiosqlite:///{tmp_path / 'ardoise.sqlite3'}"
    process = ServerProcess(tmp_path, database, {"ARDOISE_TEMPLATES_DIR": str(folder)})
    with pytest.raises(RuntimeError, match=r"rotations\.toml: zones .* have the same order"):
        process.start(timeout=5)


def test_template_imports_share_the_creation_rate_limit(own_server) -> None:
    server = own_server(ARDOISE_CREATIONS_PER_MINUTE="3")
    text = (DEFAULT_TEMPLATES_DIR / "meteo.toml").read_text("utf-8")
    board = create_board(server.url)
    assert import_file(server, text, board).status_code == 201
    assert import_file(server, text, board).status_code == 201
    assert_error(import_file(server, text, board), 429, "rate_limited")


def test_a_template_nested_5_000_deep_is_refused_in_the_importer_s_language(
    server: ServerProcess,
) -> None:
    board = create_board(server.url)
    for deep in ("a = " + "[" * 5000 + "]" * 5000, "a = " + "{b = " * 5000 + "1" + "}" * 5000):
        for headers, expected in (
            ({}, "Fichier envoyé : ses tables ou ses listes sont imbriquées trop profondément"),
            (
                {"Accept-Language": "en"},
                "Uploaded file: its tables or arrays are nested too deeply",
            ),
        ):
            refused = import_file(server, deep, board, **headers)
            assert_error(refused, 422, "invalid")
            assert refused.json()["error"]["message"] == expected


def _manage(
    server: ServerProcess, method: str, template_id: str, key: str | None, **body: Any
) -> httpx.Response:
    headers = bearer(key) if key is not None else {}
    url = f"{server.url}/api/templates/{template_id}"
    return httpx.request(method, url, headers=headers, json=body if body else None)


async def test_a_saved_template_is_its_author_s_to_list_rename_and_delete(
    server: ServerProcess, clients: list[YClient]
) -> None:
    # Issue 22, point 16: every saved template showed in every user's gallery on the server,
    # and nobody could rename or delete one.
    board = create_board(server.url, template="ou-aller")
    url = f"{server.url}/api/boards/{board['id']}/save-as-template"
    saved = httpx.post(
        url, json={"name": "Mon atelier"}, headers=bearer(board["tokens"]["facilitator"])
    )
    assert saved.status_code == 201, saved.text
    mine = saved.json()
    assert mine["mine"] is True and len(mine["key"]) >= 43
    # Someone else's gallery (no key, or their own key) does not list it.
    other_board = create_board(server.url)
    other = import_file(
        server, (DEFAULT_TEMPLATES_DIR / "meteo.toml").read_text("utf-8"), other_board
    )
    assert other.status_code == 201, other.text
    theirs = other.json()
    assert mine["id"] not in [t["id"] for t in templates(server)]
    assert [t["id"] for t in templates(server, keys=(theirs["key"],))][len(SHIPPED) :] == [
        theirs["id"]
    ]
    both = templates(server, keys=(mine["key"], theirs["key"]))
    assert [t["id"] for t in both][len(SHIPPED) :] == [mine["id"], theirs["id"]]
    assert all(t["mine"] is False for t in both[: len(SHIPPED)])

    # Its author renames it: the gallery and new boards show the new name.
    renamed = _manage(server, "PATCH", mine["id"], mine["key"], name=" Atelier de mai ")
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["name"] == "Atelier de mai"
    listed = {t["id"]: t for t in templates(server, keys=(mine["key"],))}
    assert listed[mine["id"]]["name"] == "Atelier de mai"
    assert (
        _manage(server, "PATCH", mine["id"], mine["key"], name="", description="x").status_code
        == 422
    )
    assert _manage(server, "PATCH", mine["id"], mine["key"], name="a\u0000b").status_code == 422

    # Its author deletes it; boards made from it keep their zones.
    made = create_board(server.url, template=mine["id"])
    deleted = _manage(server, "DELETE", mine["id"], mine["key"])
    assert deleted.status_code == 200 and deleted.json() == {"deleted": mine["id"]}
    assert mine["id"] not in [t["id"] for t in templates(server, keys=(mine["key"],))]
    assert_error(_manage(server, "DELETE", mine["id"], mine["key"]), 404, "not_found")
    assert len(await layout_zones(server, made, clients)) == 6  # ou-aller, two default axes


def test_someone_else_cannot_rename_or_delete_a_template(server: ServerProcess) -> None:
    # The attacker's test of issue 22, point 16: another facilitator of the same server, with
    # their own key, a board token, or no key at all.
    board = create_board(server.url)
    own = import_file(server, (DEFAULT_TEMPLATES_DIR / "rotations.toml").read_text("utf-8"), board)
    victim = own.json()
    other_board = create_board(server.url)
    mallory = import_file(
        server, (DEFAULT_TEMPLATES_DIR / "meteo.toml").read_text("utf-8"), other_board
    ).json()
    for method, body in (("PATCH", {"name": "Volé"}), ("DELETE", {})):
        assert_error(_manage(server, method, victim["id"], None, **body), 401, "unauthorized")
        for wrong in (mallory["key"], board["tokens"]["facilitator"], victim["key"] + "x"):
            assert_error(_manage(server, method, victim["id"], wrong, **body), 403, "forbidden")
        # Shipped templates are the server's files.
        assert_error(_manage(server, method, "meteo", victim["key"], **body), 403, "forbidden")
    # Nothing changed: still listed to its author, under its name, and usable.
    listed = {t["id"]: t for t in templates(server, keys=(victim["key"],))}
    assert listed[victim["id"]]["name"] == victim["name"]
    create_board(server.url, template=victim["id"])


def test_the_admin_token_manages_every_template(own_server) -> None:
    admin = "a" * 40
    server = own_server(ARDOISE_ADMIN_TOKEN=admin)
    made = [
        import_file(
            server, (DEFAULT_TEMPLATES_DIR / name).read_text("utf-8"), create_board(server.url)
        )
        for name in ("meteo.toml", "rotations.toml")
    ]
    template, other = (response.json() for response in made)
    # (The database may hold other tests' templates too: PostgreSQL's is shared.)
    everything = httpx.get(f"{server.url}/api/templates", headers=bearer(admin)).json()
    custom = [t["id"] for t in everything if t["custom"]]
    assert template["id"] in custom and other["id"] in custom
    assert all(t["mine"] for t in everything if t["custom"])
    renamed = _manage(server, "PATCH", template["id"], admin, name="Météo (modérée)")
    assert renamed.status_code == 200, renamed.text
    assert _manage(server, "DELETE", template["id"], admin).status_code == 200
    assert templates(server, keys=(template["key"],))[len(SHIPPED) :] == []


async def test_a_template_saved_before_keys_existed_stays_in_every_gallery(own_server) -> None:
    """An upgrade loses no team's template: one saved before keys existed (no owner) is listed to
    everyone, as it was, and only the admin renames or deletes it."""
    admin = "b" * 40
    server = own_server(ARDOISE_ADMIN_TOKEN=admin)
    source = (DEFAULT_TEMPLATES_DIR / "meteo.toml").read_text("utf-8")
    made = import_file(server, source, create_board(server.url)).json()
    engine = create_engine(server.database_url)
    try:
        async with engine.begin() as conn:  # as a server before revision 0005 stored it
            await conn.execute(
                update(custom_templates)
                .where(custom_templates.c.id == made["id"])
                .values(owner_sha256=None)
            )
    finally:
        await engine.dispose()
    try:
        [listed] = [t for t in templates(server) if t["id"] == made["id"]]
        assert listed["mine"] is False
        assert _manage(server, "DELETE", made["id"], made["key"]).status_code == 403
        assert _manage(server, "PATCH", made["id"], "x" * 43, name="À moi").status_code == 403
    finally:
        # PostgreSQL's database is shared by the tests: leave no template in every gallery.
        assert _manage(server, "DELETE", made["id"], admin).status_code == 200
