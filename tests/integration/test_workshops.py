"""Workshops through the real server (SQLite and PostgreSQL): created in one call, joined by one
code, their tokens opening every table and the plenary with the same role, a wrong plan refused
whole (docs/protocol.md section 2.10)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from pycrdt import Map

from tests.integration.test_facilitation import join
from tests.support.server_process import ServerProcess
from tests.support.waiting import eventually
from tests.support.yclient import ConnectRefused, YClient, join_board

PLAN: dict[str, Any] = {
    "title": "Pérenniser le hors-norme",
    "locale": "fr",
    "template": "ou-aller",
    "tables": [
        {"title": "Où aller ?", "question": "Quelles finalités pour le hors-norme ?"},
        {"title": "Avec quelles ressources ?", "question": "<b>Leviers</b> {{toc}}"},
        {
            "title": "Par quelles étapes ?",
            "template": "etapes-jalons",
            "question": "Quels jalons ?",
        },
    ],
    "plenary": {"template": "blank"},
    "rounds": [
        {
            "label": "Rotation 1 — origines",
            "prompt": "D\u2019où vient-on ?",
            "durationMs": 1_200_000,
        },
        {"label": "Rotation 2 — ressources", "durationMs": 1_500_000},
    ],
}


def create_workshop(url: str, plan: dict[str, Any] = PLAN) -> httpx.Response:
    return httpx.post(f"{url}/api/workshops", json=plan, timeout=30)


def get_workshop(url: str, workshop_id: str, token: str) -> httpx.Response:
    return httpx.get(
        f"{url}/api/workshops/{workshop_id}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )


def board_of(workshop: dict[str, Any], board_id: str) -> dict[str, Any]:
    """A board of the workshop, as the test clients take one: its id and the workshop's tokens."""
    return {"id": board_id, "tokens": workshop["tokens"]}


async def test_a_workshop_is_created_whole_and_joined_by_one_code(
    server: ServerProcess, clients: list[YClient]
) -> None:
    response = create_workshop(server.url)
    assert response.status_code == 201, response.text
    workshop = response.json()
    assert set(workshop) >= {"id", "joinCode", "tokens", "links", "tables", "plenary"}
    assert [t["title"] for t in workshop["tables"]] == [t["title"] for t in PLAN["tables"]]
    assert workshop["plenary"]["title"] == "Pérenniser le hors-norme — Plénière"
    assert len({t["boardId"] for t in workshop["tables"]} | {workshop["plenary"]["boardId"]}) == 4
    assert workshop["links"]["participant"].endswith(
        f"/w/{workshop['id']}#token={workshop['tokens']['participant']}"
    )
    assert workshop["links"]["join"].endswith(f"/j/{workshop['joinCode']}")

    # The one code says it is a workshop, and gives the participant token.
    joined = httpx.get(f"{server.url}/api/join/{workshop['joinCode'].lower()}", timeout=10)
    assert joined.status_code == 200
    assert joined.json() == {
        "kind": "workshop",
        "workshopId": workshop["id"],
        "token": workshop["tokens"]["participant"],
    }
    # The participant reads the tables to pick one; the facilitator also gets what to share.
    seen = get_workshop(server.url, workshop["id"], joined.json()["token"]).json()
    assert seen["role"] == "participant" and "share" not in seen
    assert seen["tables"] == workshop["tables"] and seen["rounds"] == workshop["rounds"]
    assert seen["tables"][1]["question"] == "<b>Leviers</b> {{toc}}"  # as typed, never markup
    led = get_workshop(server.url, workshop["id"], workshop["tokens"]["facilitator"]).json()
    assert led["role"] == "facilitator" and led["share"]["joinCode"] == workshop["joinCode"]

    # Each table has its template and its question; the workshop's tokens open every board.
    first = await join(
        server.url,
        clients,
        board_of(workshop, workshop["tables"][0]["boardId"]),
        "participant",
        "ana",
    )
    assert first.meta()["question"] == "Quelles finalités pour le hors-norme ?"
    assert first.meta()["template"] == "ou-aller"
    third = await join(
        server.url,
        clients,
        board_of(workshop, workshop["tables"][2]["boardId"]),
        "participant",
        "ana",
    )
    assert third.meta()["template"] == "etapes-jalons"
    assert await third.add_note("n1", "une étape") == {"ok": True}
    plenary = await join_board(
        server.url, clients, board_of(workshop, workshop["plenary"]["boardId"]), "facilitator"
    )
    assert plenary.meta()["template"] == "blank" and "question" not in plenary.meta()
    watcher = await join_board(
        server.url, clients, board_of(workshop, workshop["tables"][1]["boardId"]), "observer"
    )
    refused = await watcher.add_note("n2", "je regarde")
    assert refused["ok"] is False and refused["error"]["code"] == "forbidden"


async def test_a_tables_own_code_does_not_open_it(
    server: ServerProcess, clients: list[YClient]
) -> None:
    workshop = create_workshop(server.url).json()
    table = workshop["tables"][0]["boardId"]
    board = get_board_share(server.url, table, workshop["tokens"]["facilitator"])
    assert board["joinOpen"] is False
    lookup = httpx.get(f"{server.url}/api/join/{board['joinCode']}", timeout=10)
    assert lookup.status_code == 404
    with pytest.raises(ConnectRefused):
        await YClient(server.url).connect(table, board["joinCode"], {"name": "eve"})


def get_board_share(url: str, board_id: str, token: str) -> dict[str, Any]:
    response = httpx.get(
        f"{url}/api/boards/{board_id}", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    assert response.status_code == 200, response.text
    share: dict[str, Any] = response.json()["share"]
    return share


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"title": " "}, "title"),
        ({"tables": []}, "tables"),
        ({"tables": [{"title": f"T{i}"} for i in range(31)]}, "tables"),
        ({"tables": [{"title": "ok"}, {"question": "sans titre"}]}, "tables[1].title"),
        ({"tables": [{"title": "ok", "template": "nope"}]}, "tables[0].template"),
        ({"tables": [{"title": "ok", "question": "x" * 301}]}, "tables[0].question"),
        (
            {"tables": [{"title": "ok", "template": "pro-action-cafe", "params": {"x": 1}}]},
            "tables[0].params",
        ),
        ({"plenary": {"template": "nope"}}, "plenary.template"),
        ({"rounds": [{"label": "R1", "durationMs": 10}]}, "rounds[0].durationMs"),
        ({"rounds": [{"label": "R1", "durationMs": True}]}, "rounds[0].durationMs"),
        ({"rounds": [{"durationMs": 600_000}]}, "rounds[0].label"),
        ({"rounds": "vite"}, "rounds"),
        ({"locale": "de"}, "locale"),
    ],
)
def test_a_wrong_plan_is_refused_whole(
    server: ServerProcess, change: dict[str, Any], named: str
) -> None:
    before = httpx.get(f"{server.url}/healthz", timeout=10).json()["rooms"]
    response = create_workshop(server.url, {**PLAN, **change})
    assert response.status_code == 422, response.text
    assert response.json()["ok"] is False
    error = response.json()["error"]
    assert error["code"] == "invalid" and error["message"].startswith(named), error
    # Nothing was created: no board was even loaded (earlier tests' boards may unload meanwhile).
    assert httpx.get(f"{server.url}/healthz", timeout=10).json()["rooms"] <= before


def test_a_workshop_opens_only_with_its_tokens(server: ServerProcess) -> None:
    workshop = create_workshop(server.url).json()
    other = create_workshop(server.url).json()
    assert (
        get_workshop(server.url, workshop["id"], other["tokens"]["participant"]).status_code == 401
    )
    assert get_workshop(server.url, workshop["id"], "x" * 43).status_code == 401
    assert get_workshop(server.url, "nope", workshop["tokens"]["participant"]).status_code == 404
    bare = httpx.get(f"{server.url}/api/workshops/{workshop['id']}", timeout=10)
    assert bare.status_code == 401 and bare.json()["error"]["code"] == "unauthorized"
    # Another workshop's token opens none of this one's boards.
    table = workshop["tables"][0]["boardId"]
    looked = httpx.get(
        f"{server.url}/api/boards/{table}",
        headers={"Authorization": f"Bearer {other['tokens']['facilitator']}"},
        timeout=10,
    )
    assert looked.status_code == 401


def test_creating_workshops_counts_every_board_against_the_limit(own_server) -> None:
    server = own_server(ARDOISE_CREATIONS_PER_MINUTE="5")
    assert create_workshop(server.url).status_code == 201  # four boards
    refused = create_workshop(server.url)
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "rate_limited"


async def test_a_round_starts_on_every_table_at_once(
    server: ServerProcess, clients: list[YClient]
) -> None:
    workshop = create_workshop(server.url).json()
    tables = [board_of(workshop, t["boardId"]) for t in workshop["tables"]]
    watching = [await join_board(server.url, clients, table, "participant") for table in tables]
    token = workshop["tokens"]["facilitator"]

    def start(index: int, body: dict[str, Any], with_token: str = token) -> httpx.Response:
        return httpx.post(
            f"{server.url}/api/workshops/{workshop['id']}/rounds/{index}/start",
            json=body,
            headers={"Authorization": f"Bearer {with_token}"},
            timeout=30,
        )

    started = start(0, {"lockOnEnd": True})
    assert started.status_code == 200, started.text
    answer = started.json()
    assert answer["round"] == {
        "index": 0,
        "label": "Rotation 1 — origines",
        "prompt": PLAN["rounds"][0]["prompt"],
        "durationMs": 1_200_000,
    }
    assert answer["tables"] == 3

    def running(client: YClient) -> bool:
        meta = client.meta()
        timer = client.docs["layout"].get("timer", type=Map).to_py() or {}
        return (
            meta.get("round", {}).get("index") == 0
            and timer.get("endsAt") == answer["endsAt"]
            and timer.get("lockOnEnd") is True
            and timer.get("label") == "Rotation 1 — origines"
        )

    # The same end on every table, live.
    await eventually(lambda: all(running(client) for client in watching))

    # The next round replaces it everywhere, and a locked table opens again for it.
    second = start(1, {})
    assert second.status_code == 200, second.text
    await eventually(
        lambda: all(
            c.meta().get("round", {}).get("label") == "Rotation 2 — ressources"
            and c.meta().get("locked") is False
            for c in watching
        )
    )

    # Only the facilitator, only planned rounds, a well-formed body.
    for other in ("participant", "observer"):
        refused = start(0, {}, workshop["tokens"][other])
        assert refused.status_code == 403, refused.text
    assert start(2, {}).status_code == 404
    assert start(0, {}, "x" * 43).status_code == 401
    assert start(0, {"lockOnEnd": "yes"}).status_code == 422
    assert watching[0].meta()["round"]["index"] == 1


async def test_the_overview_shows_every_table_and_a_message_reaches_them_all(
    server: ServerProcess, clients: list[YClient]
) -> None:
    workshop = create_workshop(server.url).json()
    tables = [board_of(workshop, t["boardId"]) for t in workshop["tables"]]
    ana = await join(server.url, clients, tables[0], "participant", "ana")
    await join(server.url, clients, tables[0], "participant", "bob")
    await join_board(server.url, clients, tables[0], "observer")  # not counted as present
    await ana.add_note("n1", "une idée")
    await ana.add_note("n2", "une autre")
    plenary = await join_board(
        server.url, clients, board_of(workshop, workshop["plenary"]["boardId"]), "participant"
    )
    token = workshop["tokens"]["facilitator"]
    headers = {"Authorization": f"Bearer {token}"}
    base = f"{server.url}/api/workshops/{workshop['id']}"

    overview = httpx.get(f"{base}/overview", headers=headers, timeout=30)
    assert overview.status_code == 200, overview.text
    seen = overview.json()["tables"]
    assert [t["boardId"] for t in seen] == [t["boardId"] for t in workshop["tables"]]
    assert seen[0]["people"] == ["ana", "bob"] and seen[0]["notes"] == 2
    assert seen[1]["people"] == [] and seen[1]["notes"] == 0
    assert seen[0]["timer"]["endsAt"] is None and seen[0]["locked"] is False

    message = "<b>Pause</b> : retour en plénière dans 5 min"
    sent = httpx.post(f"{base}/broadcast", json={"text": message}, headers=headers, timeout=30)
    assert sent.status_code == 200, sent.text
    assert sent.json()["boards"] == 4
    await eventually(lambda: ana.meta().get("broadcast", {}).get("text") == message)
    await eventually(lambda: plenary.meta().get("broadcast", {}).get("text") == message)

    # The facilitator's only, and a message is short text.
    participant = {"Authorization": f"Bearer {workshop['tokens']['participant']}"}
    assert httpx.get(f"{base}/overview", headers=participant, timeout=10).status_code == 403
    refused = httpx.post(f"{base}/broadcast", json={"text": "x"}, headers=participant, timeout=10)
    assert refused.status_code == 403
    for bad in ({"text": ""}, {"text": "x" * 301}, {"text": 3}, {}):
        answer = httpx.post(f"{base}/broadcast", json=bad, headers=headers, timeout=10)
        assert answer.status_code == 422, (bad, answer.text)
    assert ana.meta()["broadcast"]["text"] == message
