"""Credentials the server issues (server/realtime/identities.py): what verifies, what does not,
and the bucket of new identities per address."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.boards.credentials import token_digest
from server.boards.records import BoardRecord, utc_now
from server.realtime.identities import Identities, TooManyIdentities, issue, verify
from server.settings import Settings
from server.storage.board_store import BoardStore
from server.storage.engine import create_engine
from server.storage.identity_keys import IdentityKeyStore
from server.storage.schema import migrate

KEY = b"k" * 32


def test_an_issued_credential_proves_its_id_on_its_board_only() -> None:
    identity = issue(KEY, "board-a")
    assert identity.credential is not None
    assert identity.credential.startswith(identity.participant_id + ".")
    assert verify(KEY, "board-a", identity.credential) == identity.participant_id
    assert verify(KEY, "board-b", identity.credential) is None
    assert verify(b"o" * 32, "board-a", identity.credential) is None
    assert issue(KEY, "board-a").participant_id != identity.participant_id


@pytest.mark.parametrize(
    "credential",
    [None, 42, "", "abc", "p" * 16, "p" * 16 + ".", "p" * 16 + "." + "A" * 43, "x" * 500],
)
def test_anything_else_proves_nothing(credential: object) -> None:
    assert verify(KEY, "board-a", credential) is None


def test_a_tampered_credential_proves_nothing() -> None:
    credential = issue(KEY, "board-a").credential
    assert credential is not None
    other_id = issue(KEY, "board-a").participant_id
    signature = credential.partition(".")[2]
    assert verify(KEY, "board-a", f"{other_id}.{signature}") is None


def test_the_setting_of_new_identities_per_address() -> None:
    assert Settings().new_participants_per_minute == 60
    env = {"ARDOISE_NEW_PARTICIPANTS_PER_MINUTE": "5"}
    assert Settings.from_env(env).new_participants_per_minute == 5


async def test_new_identities_per_address_are_limited_and_a_credential_costs_none(
    tmp_path: Path,
) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'i.sqlite3'}")
    await migrate(engine)
    store = BoardStore(engine)
    for board_id in ("b1", "b2"):
        await store.create_board(
            BoardRecord(
                board_id, "T", "blank", "fr", f"CODE{board_id}", True, token_digest("f"),
                "p", "o", utc_now(),
            )
        )  # fmt: skip
    try:
        identities = Identities(IdentityKeyStore(engine), new_per_minute=2)
        first = await identities.identify("b1", None, "10.0.0.1")
        await identities.identify("b2", "forged", "10.0.0.1")
        with pytest.raises(TooManyIdentities):
            await identities.identify("b1", None, "10.0.0.1")
        again = await identities.identify("b1", first.credential, "10.0.0.1")
        assert again.participant_id == first.participant_id and again.credential is None
        assert (await identities.identify("b1", None, "10.0.0.2")).credential is not None
        # Another process on the same database reads the same key: the credential holds there.
        elsewhere = Identities(IdentityKeyStore(engine), new_per_minute=2)
        assert (await elsewhere.identify("b1", first.credential, "x")).participant_id == (
            first.participant_id
        )
        assert await IdentityKeyStore(engine).key("no-such-board") is None
    finally:
        await store.close()
        await engine.dispose()
