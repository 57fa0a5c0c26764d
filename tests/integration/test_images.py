"""Image notes through the real server (docs/protocol.md section 2.11): who may send a picture,
who may read it, and what is refused, each with a clear error and nothing stored."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from PIL import Image
from pycrdt import Map

from server.boards.images import reencode
from server.storage.engine import create_engine
from server.storage.image_store import ImageStore
from tests.conftest import create_board
from tests.integration.test_facilitation import join, set_meta
from tests.support.hostile_images import SVG_WITH_SCRIPT, photo, png_declaring, png_header_only
from tests.support.server_process import ServerProcess
from tests.support.waiting import eventually
from tests.support.yclient import YClient


@pytest.fixture
async def stored_images(server: ServerProcess) -> AsyncIterator[ImageStore]:
    """What the server's database holds, read beside it."""
    engine = create_engine(server.database_url)
    yield ImageStore(engine, 0)
    await engine.dispose()


def _auth(board: dict[str, Any], role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {board['tokens'][role]}"}


def send(url: str, board: dict[str, Any], role: str, data: bytes, **headers: str) -> httpx.Response:
    return httpx.post(
        f"{url}/api/boards/{board['id']}/images",
        content=data,
        headers={**_auth(board, role), "Content-Type": "image/jpeg", **headers},
        timeout=30,
    )


def fetch(url: str, board: dict[str, Any], token: str, image_id: str) -> httpx.Response:
    return httpx.get(
        f"{url}/api/boards/{board['id']}/images/{image_id}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )


def _error(response: httpx.Response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["ok"] is False and body["error"]["code"] == code, body
    message: str = body["error"]["message"]
    return message


async def test_a_participants_picture_is_kept_re_encoded_and_read_by_every_role(
    server: ServerProcess, stored_images: ImageStore
) -> None:
    board = create_board(server.url, "Photos")
    sent = send(server.url, board, "participant", photo(640, 480))
    assert sent.status_code == 201, sent.text
    body = sent.json()
    assert set(body) == {"id", "width", "height", "mediaType"}
    assert (body["width"], body["height"], body["mediaType"]) == (640, 480, "image/jpeg")
    assert len(body["id"]) == 22
    for role in ("facilitator", "participant", "observer"):
        read = fetch(server.url, board, board["tokens"][role], body["id"])
        assert read.status_code == 200, read.text
        assert read.headers["content-type"] == "image/jpeg"
        assert read.headers["x-content-type-options"] == "nosniff"
        assert "private" in read.headers["cache-control"]
        assert Image.open(io.BytesIO(read.content)).size == (640, 480)
    # The facilitator sends one too; a big one comes back downscaled, a transparent one as PNG.
    wide = Image.new("RGBA", (3000, 1500), (0, 0, 0, 0))
    out = io.BytesIO()
    wide.save(out, "PNG")
    sent = send(server.url, board, "facilitator", out.getvalue(), **{"Content-Type": "image/png"})
    assert sent.status_code == 201, sent.text
    assert (sent.json()["width"], sent.json()["height"]) == (2048, 1024)
    assert sent.json()["mediaType"] == "image/png"
    assert await stored_images.count(board["id"]) == 2


async def test_hostile_pictures_are_refused_clearly_and_nothing_is_stored(
    server: ServerProcess, stored_images: ImageStore
) -> None:
    board = create_board(server.url, "Pièges")
    cases = {
        "not an image": b"MZ\x90\x00 an executable, not a picture",
        "decompression bomb": png_declaring(8_000, 7_000),
        "a 30,000-pixel side": png_header_only(30_000, 20),
        "a 50,000 x 50,000 header": png_header_only(50_000, 50_000),
        "SVG with a script": SVG_WITH_SCRIPT,
    }
    for what, data in cases.items():
        message = _error(send(server.url, board, "participant", data), 422, "invalid")
        assert message, what
    assert "SVG" in _error(send(server.url, board, "participant", SVG_WITH_SCRIPT), 422, "invalid")
    assert "30000" in _error(
        send(server.url, board, "participant", png_header_only(30_000, 20)), 422, "invalid"
    )
    # Over 10 MB: refused as it arrives.
    big = b"\xff\xd8" + b"\x00" * (10 * 1024 * 1024)
    _error(send(server.url, board, "participant", big), 413, "payload_too_large")
    assert await stored_images.count(board["id"]) == 0


async def test_who_may_send_and_read_pictures(
    server: ServerProcess, clients: list[YClient], stored_images: ImageStore
) -> None:
    board = create_board(server.url, "Rôles")
    other = create_board(server.url, "Un autre")
    _error(send(server.url, board, "observer", photo()), 403, "forbidden")
    wrong = {"Authorization": "Bearer " + "x" * 43}
    answer = httpx.post(
        f"{server.url}/api/boards/{board['id']}/images", content=photo(), headers=wrong
    )
    _error(answer, 401, "unauthorized")
    no_token = httpx.post(f"{server.url}/api/boards/{board['id']}/images", content=photo())
    _error(no_token, 401, "unauthorized")
    # Another board's token neither sends to this board nor reads its pictures.
    answer = httpx.post(
        f"{server.url}/api/boards/{board['id']}/images",
        content=photo(),
        headers=_auth(other, "facilitator"),
    )
    _error(answer, 401, "unauthorized")
    assert await stored_images.count(board["id"]) == 0

    image_id = send(server.url, board, "participant", photo()).json()["id"]
    _error(fetch(server.url, board, other["tokens"]["facilitator"], image_id), 401, "unauthorized")
    # Nor through its own board's address: an id is found only on the board it was sent to.
    on_other = {"id": other["id"]}
    _error(fetch(server.url, on_other, other["tokens"]["facilitator"], image_id), 404, "not_found")
    _error(fetch(server.url, board, board["tokens"]["observer"], "A" * 22), 404, "not_found")
    _error(fetch(server.url, board, board["tokens"]["observer"], "../../etc"), 404, "not_found")

    # A locked board takes no picture from a participant; the facilitator still sends.
    facilitator = await join(server.url, clients, board, "facilitator", "anim")
    assert await facilitator.write("layout", set_meta("locked", True)) == {"ok": True}
    _error(send(server.url, board, "participant", photo()), 403, "board_locked")
    assert send(server.url, board, "facilitator", photo()).status_code == 201
    assert await stored_images.count(board["id"]) == 2


async def test_pictures_are_rate_limited_and_bounded_per_board(own_server: Any) -> None:
    noisy = Image.effect_noise((160, 160), 80).convert("RGB")
    out = io.BytesIO()
    noisy.save(out, "JPEG", quality=95)
    stored = len(reencode(out.getvalue()).data)  # what the server keeps of it
    server = own_server(
        ARDOISE_IMAGE_UPLOADS_PER_MINUTE="3",
        ARDOISE_MAX_BOARD_IMAGE_BYTES=str(2 * stored + stored // 2),
    )
    board = create_board(server.url, "Bornes")
    for _ in range(2):
        sent = send(server.url, board, "participant", out.getvalue())
        assert sent.status_code == 201, sent.text
    # A third no longer fits on the board: refused, and says why.
    assert "full" in _error(send(server.url, board, "participant", out.getvalue()), 422, "invalid")
    # A fourth in the minute from this address: 429, before anything is read.
    _error(send(server.url, board, "participant", photo()), 429, "rate_limited")


async def test_an_image_note_names_its_picture_and_a_stock_client_cannot_name_anything_else(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = create_board(server.url, "Notes en images")
    alice = await join(server.url, clients, board, "participant", "alice")
    image_id = send(server.url, board, "participant", photo()).json()["id"]
    assert await alice.add_note("n1", "", imageId=image_id) == {"ok": True}
    for hostile in ("javascript:alert(1)", "../images/" + image_id, image_id + "x", 7):
        answer = await alice.add_note("n2", "", imageId=hostile)
        assert answer["ok"] is False and answer["error"]["code"] == "invalid", answer
        await alice.resync("notes")
    headers = _auth(board, "observer")
    view = httpx.get(f"{server.url}/api/boards/{board['id']}", headers=headers).json()
    assert [(n["id"], n.get("imageId")) for n in view["notes"]] == [("n1", image_id)]


def _export(url: str, board: dict[str, Any], role: str, fmt: str) -> httpx.Response:
    answer = httpx.get(
        f"{url}/api/boards/{board['id']}/export/{fmt}", headers=_auth(board, role), timeout=60
    )
    assert answer.status_code == 200, answer.text
    return answer


def _magenta_share(png_bytes: bytes) -> float:
    picture = Image.open(io.BytesIO(png_bytes)).convert("RGB").reduce(2)
    pixels = list(picture.get_flattened_data())
    close = sum(1 for p in pixels if p[0] > 220 and p[1] < 40 and p[2] > 220)
    return close / len(pixels)


async def test_image_notes_are_drawn_in_exports_and_a_backup_brings_their_pictures_back(
    server: ServerProcess, clients: list[YClient], stored_images: ImageStore
) -> None:
    board = create_board(server.url, "Photos exportées")
    alice = await join(server.url, clients, board, "participant", "alice")
    magenta = io.BytesIO()
    Image.new("RGB", (300, 150), (255, 0, 255)).save(magenta, "PNG")
    image_id = send(server.url, board, "participant", magenta.getvalue()).json()["id"]
    ack = await alice.add_note("n1", "Le mur", x=40, y=40, imageId=image_id)
    assert ack == {"ok": True}

    assert _magenta_share(_export(server.url, board, "observer", "png").content) > 0.001
    assert b"/Subtype /Image" in _export(server.url, board, "observer", "pdf").content
    assert "\\[Image\\] Le mur" in _export(server.url, board, "observer", "markdown").text
    backup = _export(server.url, board, "facilitator", "json").json()
    assert set(backup["images"]) == {image_id}

    restored = httpx.post(f"{server.url}/api/boards/import", json=backup, timeout=60)
    assert restored.status_code == 201, restored.text
    copy = restored.json()
    view = httpx.get(f"{server.url}/api/boards/{copy['id']}", headers=_auth(copy, "observer"))
    assert [n.get("imageId") for n in view.json()["notes"]] == [image_id]
    picture = fetch(server.url, copy, copy["tokens"]["observer"], image_id)
    assert picture.status_code == 200 and _magenta_share(picture.content) > 0.9

    # A board file whose picture is an SVG with a script: refused, naming it; no board made.
    hostile = json.loads(json.dumps(backup))
    hostile["images"][image_id]["data"] = base64.b64encode(SVG_WITH_SCRIPT).decode()
    answer = httpx.post(f"{server.url}/api/boards/import?locale=en", json=hostile, timeout=60)
    assert f"images.{image_id}" in _error(answer, 422, "invalid")


async def test_a_duplicate_with_its_notes_keeps_their_pictures(
    server: ServerProcess, clients: list[YClient], stored_images: ImageStore
) -> None:
    board = create_board(server.url, "Source")
    alice = await join(server.url, clients, board, "participant", "alice")
    image_id = send(server.url, board, "participant", photo()).json()["id"]
    assert await alice.add_note("n1", "", imageId=image_id) == {"ok": True}
    for with_notes, count in ((True, 1), (False, 0)):
        answer = httpx.post(
            f"{server.url}/api/boards/{board['id']}/duplicate",
            json={"withNotes": with_notes},
            headers=_auth(board, "facilitator"),
            timeout=30,
        )
        assert answer.status_code == 201, answer.text
        copy = answer.json()
        assert await stored_images.count(copy["id"]) == count
        read = fetch(server.url, copy, copy["tokens"]["observer"], image_id)
        assert read.status_code == (200 if count else 404)


async def test_a_deleted_image_note_comes_back_from_the_trash_with_its_picture(
    server: ServerProcess, clients: list[YClient]
) -> None:
    board = create_board(server.url, "Corbeille")
    alice = await join(server.url, clients, board, "participant", "alice")
    image_id = send(server.url, board, "participant", photo()).json()["id"]
    assert await alice.add_note("n1", "Le mur", imageId=image_id) == {"ok": True}

    def delete(doc: Any) -> None:
        del doc.get("notes", type=Map)["n1"]

    assert await alice.write("notes", delete) == {"ok": True}
    facilitator = _auth(board, "facilitator")
    trash_url = f"{server.url}/api/boards/{board['id']}/trash"

    def listed() -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = httpx.get(trash_url, headers=facilitator).json()["entries"]
        return entries

    await eventually(lambda: len(listed()) == 1, what="the deleted note in the trash")
    [entry] = listed()
    assert entry["note"]["imageId"] == image_id
    restored = httpx.post(f"{trash_url}/{entry['id']}/restore", headers=facilitator)
    assert restored.status_code == 200, restored.text
    view = httpx.get(f"{server.url}/api/boards/{board['id']}", headers=facilitator).json()
    assert [(n["id"], n.get("imageId")) for n in view["notes"]] == [("n1", image_id)]
