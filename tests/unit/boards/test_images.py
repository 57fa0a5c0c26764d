"""Re-encoding of image notes (server/boards/images.py): what is kept of a picture, and what is
refused before a pixel is decoded."""

from __future__ import annotations

import io
import time

import pytest
from PIL import Image

from server.boards.image_ids import is_image_id
from server.boards.images import (
    JPEG,
    MAX_OUTPUT_SIDE,
    PNG,
    ImageRefused,
    reencode,
)
from tests.support.hostile_images import (
    SVG_WITH_SCRIPT,
    photo,
    png_declaring,
    png_header_only,
)


def _open(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_a_photo_is_turned_as_the_camera_meant_and_loses_its_metadata() -> None:
    # 60 wide, 20 high, with EXIF orientation 6 ("turn 90° clockwise"), a GPS position and a
    # maker; what is kept is 20 wide, 60 high, without any of it.
    image = Image.new("RGB", (60, 20), (10, 120, 200))
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"secret comment", icc_profile=b"\x00" * 16)
    kept = reencode(out.getvalue())
    assert (kept.media_type, kept.width, kept.height) == (JPEG, 20, 60)
    read = _open(kept.data)
    assert read.format == "JPEG" and read.size == (20, 60)
    assert dict(read.getexif()) == {}
    assert "icc_profile" not in read.info and "comment" not in read.info
    assert b"PhoneMaker" not in kept.data and b"secret comment" not in kept.data


def test_transparency_is_kept_as_png_and_a_big_image_is_downscaled() -> None:
    image = Image.new("RGBA", (4000, 1000), (255, 0, 0, 0))
    image.paste((0, 0, 255, 255), (0, 0, 2000, 1000))
    out = io.BytesIO()
    image.save(out, "PNG")
    kept = reencode(out.getvalue())
    assert (kept.media_type, kept.width, kept.height) == (PNG, MAX_OUTPUT_SIDE, 512)
    read = _open(kept.data)
    assert read.mode == "RGBA"
    assert read.getpixel((10, 10)) == (0, 0, 255, 255)
    assert read.getpixel((MAX_OUTPUT_SIDE - 10, 10))[3] == 0


def test_a_gif_keeps_its_first_frame_and_webp_is_read() -> None:
    frames = [Image.new("RGB", (30, 30), color) for color in ((255, 0, 0), (0, 255, 0))]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100)
    kept = reencode(out.getvalue())
    assert (kept.media_type, kept.width, kept.height) == (JPEG, 30, 30)
    red, green, _ = _open(kept.data).getpixel((15, 15))
    assert red > 200 and green < 60
    webp = io.BytesIO()
    Image.new("RGB", (12, 8), (0, 200, 0)).save(webp, "WEBP")
    assert reencode(webp.getvalue()).media_type == JPEG


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"%PDF-1.4 not a picture at all", "not_image"),
        (b"", "not_image"),
        (SVG_WITH_SCRIPT, "not_image"),
        (b"\xef\xbb\xbf  <svg onload='alert(1)'/>", "not_image"),
        (png_header_only(30_000, 10), "too_large_side"),
        # Pillow itself refuses this one as it opens it (Image.MAX_IMAGE_PIXELS).
        (png_header_only(50_000, 50_000), "too_many_pixels"),
        (png_header_only(9_000, 9_000), "too_many_pixels"),
        (photo()[:200], "unreadable"),
    ],
    ids=["pdf", "empty", "svg", "svg-bom", "side", "bomb-50000", "bomb-9000", "truncated"],
)
def test_what_is_not_a_picture_we_accept_is_refused_with_its_reason(
    data: bytes, reason: str
) -> None:
    with pytest.raises(ImageRefused) as refused:
        reencode(data)
    assert refused.value.reason == reason
    assert str(refused.value)


def test_a_decompression_bomb_is_refused_from_its_header_without_decoding() -> None:
    bomb = png_declaring(8_000, 7_000)  # 168 MB of pixels in a few hundred KB
    assert len(bomb) < 1024 * 1024
    started = time.monotonic()
    with pytest.raises(ImageRefused) as refused:
        reencode(bomb)
    assert refused.value.reason == "too_many_pixels"
    # Refused from the header: decoding 168 MB would take seconds.
    assert time.monotonic() - started < 0.5


def test_image_ids_are_22_url_safe_characters() -> None:
    assert is_image_id("A" * 22) and is_image_id("a-_0" * 5 + "zz")
    assert not is_image_id("A" * 21) and not is_image_id("A" * 23)
    assert not is_image_id("A" * 21 + "/") and not is_image_id(22) and not is_image_id(None)


def test_a_refusal_keeps_its_reason_across_processes() -> None:
    # The server re-encodes in a worker process; the refusal comes back pickled.
    import pickle

    copied = pickle.loads(pickle.dumps(ImageRefused("not_image", "this is not an image")))
    assert (copied.reason, str(copied)) == ("not_image", "this is not an image")
