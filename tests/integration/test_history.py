"""A board's history (docs/protocol.md section 2.9): versions kept every few minutes of activity
and before every restore or import, listed by the facilitator and restored live for everyone,
the present kept first; bounded, and still there after a restart."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from pycrdt import Doc, Map

from tests.conftest import create_board
from tests.support.archive_api import get_history, restore_version, versions
from tests.support.server_process import ServerProcess
from tests.support.stock_client import StartStock
from tests.support.waiting import eventually
from tests.support.yclient import YClient, join_board

OK = {"ok": True}


def set_meta(key: str, value: Any):
    def edit(doc: Doc) -> None:
        doc.get("meta", type=Map)[key] = value

    return edit


def set_text(note_id: str, text: str):
    def edit(doc: Doc) -> None:
        note = doc.get("notes", type=Map)[note_id]
        old = note["text"]
        del old[0 : len(old)]
        old += text

    return edit


def add_zone(zone_id: str, title: str):
    def edit(doc: Doc) -> None:
        doc.get("zones", type=Map)[zone_id] = Map(
            {"title": title, "rect": [0, 0, 400, 400], "order": 1}
        )

    return edit


def texts(client: YClient) -> dict[str, str]:
    return {note_id: str(note.get("text")) for note_id, note in client.notes().items()}


async def wait_version(url: str, board: dict[str, Any], **wanted: Any) -> dict[str, Any]:
    """The newest version whose fields have these values, once the server has it."""
    found: list[dict[str, Any]] = []

    async def listed() -> bool:
        found[:] = [
            v
            for v in await versions(url, board["id"], board["tokens"]["facilitator"])
            if all(v.get(key) == value for key, value in wanted.items())
        ]
        return bool(found)

    await eventually(listed, 10, f"a version with {wanted}")
    return found[0]


async def test_the_facilitator_restores_an_earlier_version_live_and_the_present_is_kept(
    own_server: Any, clients: list[YClient]
) -> None:
    server = own_server(ARDOISE_HISTORY_INTERVAL_S="0.5")
    url = server.url
    board = create_board(url, "Titre 1")
    facilitator = await join_board(url, clients, board, "facilitator", {"name": "Fac"})
    alice = await join_board(url, clients, board, "participant", {"name": "Alice"})
    assert await facilitator.write("layout", add_zone("z1", "Idées")) == OK
    assert await facilitator.add_note("n1", "avant") == OK
    first = await wait_version(url, board, reason="auto", notes=1)
    assert first["by"] == "Fac" and first["createdAt"] > 0 and first["bytes"] > 0

    assert await alice.add_note("n2", "après", authorId=alice.participant_id) == OK
    assert await facilitator.write("notes", set_text("n1", "avant, modifié")) == OK
    assert await facilitator.write("layout", set_meta("title", "Titre 2")) == OK
    assert await facilitator.write("layout", add_zone("z2", "Actions")) == OK
    assert await facilitator.write("layout", set_meta("locked", True)) == OK
    await wait_version(url, board, reason="auto", notes=2)

    answer = await restore_version(
        url, board["id"], first["id"], board["tokens"]["facilitator"], "Fac"
    )
    assert answer.status_code == 200, answer.text
    kept_id = answer.json()["kept"]
    assert answer.json()["restored"] == first["id"]
    for client in (facilitator, alice):
        await eventually(lambda c=client: texts(c) == {"n1": "avant"}, what="the old notes live")
        await eventually(lambda c=client: c.meta().get("title") == "Titre 1")
        zones = client.docs["layout"].get("zones", type=Map).to_py()
        assert set(zones or {}) == {"z1"}
    # The session's own controls are not rewound: the board stays locked.
    assert facilitator.meta()["locked"] is True

    listed = await versions(url, board["id"], board["tokens"]["facilitator"])
    [present] = [v for v in listed if v["id"] == kept_id]
    assert (present["reason"], present["notes"], present["by"]) == ("before_restore", 2, "Fac")
    assert listed[0]["reason"] == "restored"  # newest first

    # The present was not lost: restoring it brings everything back.
    answer = await restore_version(url, board["id"], kept_id, board["tokens"]["facilitator"])
    assert answer.status_code == 200, answer.text
    await eventually(lambda: texts(alice) == {"n1": "avant, modifié", "n2": "après"})
    await eventually(lambda: alice.meta().get("title") == "Titre 2")
    # Stored like any edit: a new connection sees the same.
    reader = await join_board(url, clients, board, "observer")
    assert texts(reader) == {"n1": "avant, modifié", "n2": "après"}


async def test_the_history_is_bounded_and_still_there_after_a_restart(
    own_server: Any, clients: list[YClient]
) -> None:
    server = own_server(
        ARDOISE_HISTORY_INTERVAL_S="0.2",
        ARDOISE_HISTORY_VERSIONS="4",
        ARDOISE_COMPACT_AFTER_UPDATES="5",
    )
    board = create_board(server.url)
    token = board["tokens"]["facilitator"]
    facilitator = await join_board(server.url, clients, board, "facilitator", {"name": "Fac"})
    for i in range(10):
        assert await facilitator.add_note(f"n{i}", f"note {i}") == OK
        await wait_version(server.url, board, notes=i + 1)
        assert len(await versions(server.url, board["id"], token)) <= 4
    await facilitator.disconnect()
    server.restart()

    listed = await versions(server.url, board["id"], token)
    assert 1 <= len(listed) <= 4
    assert listed[0]["notes"] == 10
    oldest = listed[-1]
    answer = await restore_version(server.url, board["id"], oldest["id"], token)
    assert answer.status_code == 200, answer.text
    assert len(await versions(server.url, board["id"], token)) <= 4
    reader = await join_board(server.url, clients, board, "observer")
    assert len(reader.notes()) == oldest["notes"]
    # The update log was compacted meanwhile, and the board loads whole after another restart.
    await reader.disconnect()
    server.restart()
    again = await join_board(server.url, clients, board, "observer")
    assert len(again.notes()) == oldest["notes"]


async def test_only_the_facilitator_lists_and_restores_the_history(
    server: ServerProcess, clients: list[YClient]
) -> None:
    url = server.url
    board = create_board(url)
    other = create_board(url)
    facilitator = await join_board(url, clients, board, "facilitator", {"name": "Fac"})
    alice = await join_board(url, clients, board, "participant", {"name": "Alice"})
    assert await facilitator.add_note("n1", "à garder") == OK
    # A CSV import keeps the board as it was first.
    async with httpx.AsyncClient(timeout=10) as http:
        imported = await http.post(
            f"{url}/api/boards/{board['id']}/import/csv",
            headers={"Authorization": f"Bearer {board['tokens']['facilitator']}"},
            content="texte\nimportée\n".encode(),
        )
    assert imported.status_code == 201, imported.text
    version = await wait_version(url, board, reason="before_import", notes=1)
    await eventually(lambda: len(alice.notes()) == 2)
    assert alice.welcome is not None
    for token, status, code in (
        (board["tokens"]["participant"], 403, "forbidden"),
        (board["tokens"]["observer"], 403, "forbidden"),
        ("wrong", 401, "unauthorized"),
        (other["tokens"]["facilitator"], 401, "unauthorized"),
    ):
        listed = await get_history(url, board["id"], token)
        assert (listed.status_code, listed.json()["error"]["code"]) == (status, code)
        answer = await restore_version(url, board["id"], version["id"], token)
        assert (answer.status_code, answer.json()["error"]["code"]) == (status, code)
    # Another board's facilitator cannot reach this board's versions through their own board.
    for version_id in (version["id"], "abc", "0", "9" * 40):
        answer = await restore_version(url, other["id"], version_id, other["tokens"]["facilitator"])
        assert (answer.status_code, answer.json()["error"]["code"]) == (404, "not_found")
    assert (await versions(url, other["id"], other["tokens"]["facilitator"])) == []
    # Nothing was restored: the imported note is still there.
    assert len(alice.notes()) == 2 and len(facilitator.notes()) == 2


@pytest.mark.node
async def test_a_stock_yjs_client_sees_a_version_restored_live(
    server: ServerProcess,
    clients: list[YClient],
    stock: StartStock,
) -> None:
    url = server.url
    board = create_board(url)
    token = board["tokens"]["facilitator"]
    facilitator = await join_board(url, clients, board, "facilitator", {"name": "Fac"})
    assert await facilitator.add_note("n1", "avant") == OK
    async with httpx.AsyncClient(timeout=10) as http:
        imported = await http.post(
            f"{url}/api/boards/{board['id']}/import/csv",
            headers={"Authorization": f"Bearer {token}"},
            content="texte\nimportée\n".encode(),
        )
    assert imported.status_code == 201, imported.text
    version = await wait_version(url, board, reason="before_import")
    assert await facilitator.write("notes", set_text("n1", "après")) == OK
    zoe = await stock(
        {
            "board": board["id"],
            "token": board["tokens"]["participant"],
            "participant": {"name": "Zoé"},
        },
        [
            {"do": "connect"},
            {"do": "waitNote", "text": "après"},
            {"do": "wait"},
            {"do": "waitNote", "text": "avant"},
            {"do": "notes"},
        ],
    )
    await zoe.next("connect")
    await zoe.next("waitNote")
    answer = await restore_version(url, board["id"], version["id"], token)
    assert answer.status_code == 200, answer.text
    await zoe.go_on()
    await zoe.next("waitNote")
    shown = (await zoe.next("notes"))["notes"]
    assert {n["text"] for n in shown.values()} == {"avant"}
    await zoe.finish()
