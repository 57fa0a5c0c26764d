"""Image notes: a picture sent by a person, decoded and encoded again before the board keeps it.

Why re-encode: what a browser sends is whatever the person had (a phone photo with its GPS
position in EXIF, a file that only claims to be an image, a PNG that declares 50,000 x 50,000
pixels to exhaust memory). Only the pixels are kept: the orientation applied, every metadata
dropped, the size bounded, and the result written by Pillow itself as PNG (when it has
transparency) or JPEG. Pure functions of bytes, run in a worker process (server/processes.py):
a decoder's bug or a bomb's memory never touches the server's event loop.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Mapping
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

# What a person may send: a phone photo is 3-8 MB; anything bigger is not a note's picture.
MAX_INPUT_BYTES = 10 * 1024 * 1024
# Sides and pixels of what is decoded at all, checked from the header before any pixel is read.
MAX_INPUT_SIDE = 10_000
MAX_INPUT_PIXELS = 50_000_000
# What is kept: enough for a projector and a printed page.
MAX_OUTPUT_SIDE = 2048
# A PNG kept this big (noise with transparency) is flattened to JPEG instead.
_MAX_PNG_BYTES = 3 * 1024 * 1024
_JPEG_QUALITY = 85
# The formats decoded; SVG (markup that may carry scripts) is never one of them.
_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")

PNG = "image/png"
JPEG = "image/jpeg"
MEDIA_TYPES = frozenset({PNG, JPEG})

# Pillow's own guard against bombs, for any decoding in this process: past twice this many
# pixels it raises, past this many it warns (made an error below).
Image.MAX_IMAGE_PIXELS = MAX_INPUT_PIXELS


class ImageRefused(ValueError):
    """What was sent is not kept; `reason` is one of REASONS, the message says it for a person
    reading the API (docs/protocol.md section 2.11)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason

    def __reduce__(self) -> tuple[type[ImageRefused], tuple[str, str]]:
        # Raised in a worker process, it travels back pickled, reason included.
        return (ImageRefused, (self.reason, str(self)))


@dataclass(frozen=True, slots=True)
class EncodedImage:
    """An image as the board keeps it."""

    media_type: str
    data: bytes
    width: int
    height: int


def _looks_like_markup(data: bytes) -> bool:
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n\x00").lower()
    return head.startswith(b"<")


def reencode(data: bytes) -> EncodedImage:
    """The picture in `data`, oriented, stripped of metadata and at most MAX_OUTPUT_SIDE a side;
    ImageRefused when it is none we accept."""
    if len(data) > MAX_INPUT_BYTES:
        raise ImageRefused("too_big", f"an image is at most {MAX_INPUT_BYTES} bytes")
    if _looks_like_markup(data):
        raise ImageRefused(
            "not_image", "SVG and other markup are not accepted: send a JPEG, PNG, WebP or GIF"
        )
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=_FORMATS) as opened:
                _check_dimensions(opened.size)
                return _encode(_pixels(opened))
        except ImageRefused:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ImageRefused(
                "too_many_pixels", f"the image has too many pixels ({exc})"
            ) from None
        except UnidentifiedImageError:
            raise ImageRefused(
                "not_image", "this is not an image: send a JPEG, PNG, WebP or GIF"
            ) from None
        except (OSError, ValueError, SyntaxError, EOFError, MemoryError) as exc:
            raise ImageRefused("unreadable", f"the image cannot be read ({exc})") from None


def _check_dimensions(size: tuple[int, int]) -> None:
    width, height = size
    if width < 1 or height < 1:
        raise ImageRefused("unreadable", "the image has no pixels")
    if max(width, height) > MAX_INPUT_SIDE:
        raise ImageRefused(
            "too_large_side",
            f"the image is {width} x {height} pixels; a side is at most {MAX_INPUT_SIDE}",
        )
    if width * height > MAX_INPUT_PIXELS:
        raise ImageRefused(
            "too_many_pixels",
            f"the image is {width} x {height} pixels; at most {MAX_INPUT_PIXELS} in all",
        )


def _pixels(opened: Image.Image) -> Image.Image:
    """The first frame's pixels, turned as the camera meant, downscaled; no metadata."""
    opened.seek(0)
    if opened.format == "JPEG":
        # Decode a big photo at a fraction of its size straight away (no full-size buffer).
        opened.draft("RGB", (MAX_OUTPUT_SIDE, MAX_OUTPUT_SIDE))
    opened.load()
    turned = ImageOps.exif_transpose(opened) or opened
    has_alpha = turned.mode in ("RGBA", "LA", "PA") or (
        turned.mode == "P" and "transparency" in turned.info
    )
    converted = turned.convert("RGBA" if has_alpha else "RGB")
    converted.thumbnail((MAX_OUTPUT_SIDE, MAX_OUTPUT_SIDE), Image.Resampling.LANCZOS)
    # A fresh image holds the pixels only: no EXIF, ICC profile, text chunks or comments.
    clean = Image.new(converted.mode, converted.size)
    clean.paste(converted)
    return clean


def _encode(image: Image.Image) -> EncodedImage:
    out = io.BytesIO()
    if image.mode == "RGBA":
        image.save(out, "PNG", compress_level=6)
        if out.tell() <= _MAX_PNG_BYTES:
            return EncodedImage(PNG, out.getvalue(), image.width, image.height)
        flat = Image.new("RGB", image.size, (255, 255, 255))
        flat.paste(image, mask=image.getchannel("A"))
        image, out = flat, io.BytesIO()
    image.save(out, "JPEG", quality=_JPEG_QUALITY, optimize=True)
    return EncodedImage(JPEG, out.getvalue(), image.width, image.height)


def reencode_many(found: Mapping[str, bytes]) -> tuple[dict[str, EncodedImage], str | None]:
    """The pictures of a board file, each re-encoded as if it were sent (a file is what its
    sender made it); the id of the first one refused, else None."""
    kept: dict[str, EncodedImage] = {}
    for image_id, data in found.items():
        try:
            kept[image_id] = reencode(data)
        except ImageRefused:
            return kept, image_id
    return kept, None
