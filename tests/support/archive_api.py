"""The HTTP API of the trash, the history and the board file (docs/protocol.md sections 2.6, 2.8
and 2.9), as a client calls it: the board's token, and a participant's credential where one is
needed."""

from __future__ import annotations

from typing import Any

import httpx


def headers(token: str, credential: str | None = None) -> dict[str, str]:
    sent = {"Authorization": f"Bearer {token}"}
    if credential is not None:
        sent["X-Ardoise-Credential"] = credential
    return sent


async def get_trash(
    url: str, board_id: str, token: str, credential: str | None = None
) -> httpx.Response:
    async with httpx.AsyncClient(timeout=10) as http:
        return await http.get(
            f"{url}/api/boards/{board_id}/trash", headers=headers(token, credential)
        )


async def trash_entries(
    url: str, board_id: str, token: str, credential: str | None = None
) -> list[dict[str, Any]]:
    response = await get_trash(url, board_id, token, credential)
    assert response.status_code == 200, response.text
    entries: list[dict[str, Any]] = response.json()["entries"]
    return entries


async def restore_note(
    url: str, board_id: str, entry_id: object, token: str, credential: str | None = None
) -> httpx.Response:
    async with httpx.AsyncClient(timeout=10) as http:
        return await http.post(
            f"{url}/api/boards/{board_id}/trash/{entry_id}/restore",
            headers=headers(token, credential),
        )


async def get_history(url: str, board_id: str, token: str) -> httpx.Response:
    async with httpx.AsyncClient(timeout=10) as http:
        return await http.get(f"{url}/api/boards/{board_id}/history", headers=headers(token))


async def versions(url: str, board_id: str, token: str) -> list[dict[str, Any]]:
    response = await get_history(url, board_id, token)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["versions"]
    return found


async def restore_version(
    url: str, board_id: str, version_id: object, token: str, name: str | None = None
) -> httpx.Response:
    async with httpx.AsyncClient(timeout=30) as http:
        return await http.post(
            f"{url}/api/boards/{board_id}/history/{version_id}/restore",
            headers=headers(token),
            json=None if name is None else {"name": name},
        )


def restore_board_file(url: str, content: bytes) -> dict[str, Any]:
    """A new board from an exported board file (`POST /api/boards/import`): its creation answer."""
    restored = httpx.post(
        f"{url}/api/boards/import",
        content=content,
        headers={"content-type": "application/json"},
        timeout=30,
    )
    assert restored.status_code == 201, restored.text
    created: dict[str, Any] = restored.json()
    return created
