"""Participant identities the server issues (docs/protocol.md section 3).

A participant id is never the client's claim: a connection presents the credential the server
gave it earlier (`auth.participant.credential`), or gets a new random id and a credential for it.
The credential is `<participant id>.<signature>`, the signature an HMAC-SHA256 of the board and
the id under the board's own key (storage/identity_keys.py): nothing a client sees of another
person (their id in presence, `authorId`, votes) lets it act as them, a credential opens only
the board it was issued for, and any server process sharing the database can check it without a
lookup per connection. A credential that does not verify (forged, another board's, malformed) is
treated as no credential: a new identity, counted like any other against the address's bucket.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Any

from server.ratelimit import KeyedLimiter
from server.storage.identity_keys import IdentityKeyStore

# 96 random bits, as text of [A-Za-z0-9_-]: the ids docs/protocol.md section 3 describes.
_ID_BYTES = 12
_ID = re.compile(r"[A-Za-z0-9_-]{16}")
_SIGNATURE = re.compile(r"[A-Za-z0-9_-]{43}")
MAX_CREDENTIAL_CHARS = 128


@dataclass(frozen=True, slots=True)
class Identity:
    participant_id: str
    # Set when the identity is new: the client keeps it and presents it from then on.
    credential: str | None = None


class TooManyIdentities(Exception):
    """This address was given too many new identities lately."""


class BoardGoneForIdentity(Exception):
    """The board has no key because it does not exist (deleted meanwhile)."""


def _signature(key: bytes, board_id: str, participant_id: str) -> str:
    digest = hmac.new(key, f"{board_id}\n{participant_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def issue(key: bytes, board_id: str) -> Identity:
    participant_id = secrets.token_urlsafe(_ID_BYTES)
    signature = _signature(key, board_id, participant_id)
    return Identity(participant_id, f"{participant_id}.{signature}")


def verify(key: bytes, board_id: str, credential: Any) -> str | None:
    """The participant id a credential proves, or None."""
    if not isinstance(credential, str) or len(credential) > MAX_CREDENTIAL_CHARS:
        return None
    participant_id, dot, signature = credential.partition(".")
    if not dot or not _ID.fullmatch(participant_id) or not _SIGNATURE.fullmatch(signature):
        return None
    expected = _signature(key, board_id, participant_id)
    return participant_id if hmac.compare_digest(expected, signature) else None


class Identities:
    def __init__(self, keys: IdentityKeyStore, new_per_minute: int) -> None:
        """`new_per_minute`: new identities per client address (a bucket with that burst)."""
        self._keys = keys
        self._new = KeyedLimiter(new_per_minute)

    async def identify(self, board_id: str, credential: Any, address: str) -> Identity:
        """The identity a credential proves, else a new one (TooManyIdentities past the
        address's bucket)."""
        key = await self._keys.key(board_id)
        if key is None:
            raise BoardGoneForIdentity(board_id)
        participant_id = verify(key, board_id, credential)
        if participant_id is not None:
            return Identity(participant_id)
        if not self._new.allow(address):
            raise TooManyIdentities(address)
        return issue(key, board_id)

    async def participant_of(self, board_id: str, credential: Any) -> str | None:
        """The participant id a credential proves on this board, else None (never a new one)."""
        key = await self._keys.key(board_id)
        return None if key is None else verify(key, board_id, credential)
