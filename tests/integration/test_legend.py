"""The board's legend (meta.legend) through the real server: facilitators only, live, in the
board's JSON view, every export and a restored backup."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from pycrdt import Map

from server.boards.legend import MAX_LEGEND_CHARS
from tests.conftest import create_board
from tests.integration.test_facilitation import api_board, join, refused
from tests.support.server_process import ServerProcess
from tests.support.waiting import eventually
from tests.support.yclient import YClient

HOSTILE = '<img src=x onerror=alert(1)> "" {{toc}} =1+1'


def set_legend(labels: dict[str, str]) -> Callable[[Any], None]:
    """A facilitator's edit, as the web client writes it: one nested map of palette names."""

    def edit(doc: Any) -> None:
        meta = doc.get("meta", type=Map)
        meta["legend"] = Map(labels)

    return edit


def _export(url: str, board: dict[str, Any], fmt: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {board['tokens']['participant']}"}
    response = httpx.get(f"{url}/api/boards/{board['id']}/export/{fmt}", headers=headers)
    assert response.status_code == 200, response.text
    return response


async def test_facilitator_legend_reaches_everyone_and_every_export(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = create_board(server.url, "Légende")
    facilitator = await join(server.url, clients, board, "facilitator", "fac")
    alice = await join(server.url, clients, board, "participant", "alice")
    await facilitator.add_note("n1", "une idée", color="pink")
    edit = set_legend({"yellow": "idée", "pink": HOSTILE})
    assert await facilitator.write("layout", edit) == {"ok": True}
    await eventually(lambda: alice.meta().get("legend", {}).get("yellow") == "idée")

    seen = api_board(server.url, board, "observer")["legend"]
    assert seen == {"yellow": "idée", "pink": HOSTILE}  # text as typed
    assert "Légende : jaune : idée" in _export(server.url, board, "markdown").text
    assert "rose : &lt;img src=x onerror=alert(1)&gt;" in _export(server.url, board, "yeswiki").text
    csv_lines = _export(server.url, board, "csv").content.decode("utf-8-sig").splitlines()
    assert csv_lines[0].endswith(";légende;thème")  # the legend, then the note's theme
    assert csv_lines[1].endswith(';"' + HOSTILE.replace('"', '""') + '";')
    assert _export(server.url, board, "pdf").content.startswith(b"%PDF")
    assert _export(server.url, board, "png").content.startswith(b"\x89PNG")

    # A backup restored on this server gives the new board the same legend.
    backup = _export(server.url, board, "json").json()
    assert backup["board"]["legend"] == {"yellow": "idée", "pink": HOSTILE}
    restored = httpx.post(f"{server.url}/api/boards/import", json=backup)
    assert restored.status_code == 201, restored.text
    assert api_board(server.url, restored.json(), "participant")["legend"] == seen


async def test_only_facilitators_change_the_legend(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = create_board(server.url)
    facilitator = await join(server.url, clients, board, "facilitator", "fac")
    assert await facilitator.write("layout", set_legend({"yellow": "idée"})) == {"ok": True}
    mallory = await join(server.url, clients, board, "participant", "mallory")
    refused(await mallory.write("layout", set_legend({"yellow": "piège"})), "forbidden")
    observer = await join(server.url, clients, board, "observer", "olga")
    refused(await observer.write("layout", set_legend({"red": "piège"})), "forbidden")
    assert api_board(server.url, board, "facilitator")["legend"] == {"yellow": "idée"}


def set_label(color: str, label: Any) -> Callable[[Any], None]:
    """One label in the legend map already there, as the web client changes one field."""

    def edit(doc: Any) -> None:
        doc.get("meta", type=Map)["legend"][color] = label

    return edit


async def test_the_server_refuses_a_misshapen_legend_and_changes_nothing(
    server: ServerProcess, clients: list[YClient]
) -> None:
    """A facilitator's stock client tries every shape the readers would have to repair: each
    write is refused `invalid`, with a message saying why, and the legend stays as it was."""
    board = create_board(server.url)
    facilitator = await join(server.url, clients, board, "facilitator", "fac")
    alice = await join(server.url, clients, board, "participant", "alice")
    limit = "é" * MAX_LEGEND_CHARS
    assert await facilitator.write("layout", set_legend({"yellow": "idée"})) == {"ok": True}
    assert await facilitator.write("layout", set_label("green", limit)) == {"ok": True}
    kept = {"yellow": "idée", "green": limit}
    await eventually(lambda: alice.meta().get("legend") == kept)

    attacks: list[tuple[Callable[[Any], None], str]] = [
        (set_label("blue", "x" * (MAX_LEGEND_CHARS + 1)), "at most 60 characters"),
        (set_label("yellow", "idée " * 1000), "at most 60 characters"),
        (set_legend({"yellow": "idée", "gold": "pas du tableau"}), "palette colours only"),
        (set_label("pink", 42), "not a text"),
        (set_label("pink", ["frein"]), "not a text"),
        (lambda doc: doc.get("meta", type=Map).__setitem__("legend", "idée"), "is a map"),
    ]
    for attack, why in attacks:
        ack = await facilitator.write("layout", attack)
        refused(ack, "invalid")
        assert why in ack["error"]["message"], ack
        await facilitator.resync("layout")
        assert facilitator.meta()["legend"] == kept
    assert api_board(server.url, board, "observer")["legend"] == kept
    assert alice.meta()["legend"] == kept
    # The facilitator still changes the legend, and the rest of the layout, afterwards.
    assert await facilitator.write("layout", set_label("yellow", "idée neuve")) == {"ok": True}
    await eventually(lambda: alice.meta()["legend"]["yellow"] == "idée neuve")
