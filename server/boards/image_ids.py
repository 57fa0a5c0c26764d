"""How the server names the pictures of image notes: 128 random bits, URL-safe, like board ids.

Apart from the re-encoding (server/boards/images.py), so that the judge of notes and the
readers of a board check a note's `imageId` without loading an image library.
"""

from __future__ import annotations

import re
import secrets

IMAGE_ID = re.compile(r"[A-Za-z0-9_-]{22}")


def new_image_id() -> str:
    return secrets.token_urlsafe(16)


def is_image_id(value: object) -> bool:
    return isinstance(value, str) and IMAGE_ID.fullmatch(value) is not None
