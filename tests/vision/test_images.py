"""Bad input is refused with a reason before any job exists."""
from __future__ import annotations

import pytest
from django.conf import settings
from PIL import Image

from apps.vision.images import ImageRejected, image_bytes_from_base64, open_image
from tests.vision.factories import b64, encode, textured


def test_plain_base64_and_data_urls_decode_to_the_same_bytes():
    data = encode(textured())
    assert image_bytes_from_base64(b64(data)) == data
    assert image_bytes_from_base64(f"data:image/png;base64,{b64(data)}") == data
    assert image_bytes_from_base64(b64(data).rstrip("=") + "\n") == data  # stripped padding, line end


@pytest.mark.parametrize("text, reason", [
    ("", "is empty"),
    ("!!!not base64!!!", "is not valid base64"),
    ("data:image/png,rawbytes", "without ;base64"),
])
def test_undecodable_text_is_refused(text, reason):
    with pytest.raises(ImageRejected, match=reason) as caught:
        image_bytes_from_base64(text)
    assert caught.value.status == 400


def test_something_that_is_not_an_image_is_refused():
    with pytest.raises(ImageRejected, match="is not an image"):
        open_image(b"%PDF-1.4 hello, I am a document")


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_a_truncated_file_is_refused(fmt):
    data = encode(textured(), fmt)
    with pytest.raises(ImageRejected, match=f"truncated or corrupt {fmt}") as caught:
        open_image(data[: len(data) * 2 // 3])
    assert caught.value.status == 400


def test_an_unsupported_format_is_refused_by_name():
    with pytest.raises(ImageRejected, match="is a PPM image; supported formats are JPEG, PNG"):
        open_image(encode(textured(), "PPM"))


def test_too_many_bytes_is_a_413(settings):
    data = encode(textured())
    settings.VISION_MAX_IMAGE_BYTES = len(data) - 1
    with pytest.raises(ImageRejected, match="over the limit") as caught:
        open_image(data)
    assert caught.value.status == 413
    with pytest.raises(ImageRejected) as caught:
        image_bytes_from_base64(b64(data + b"x" * 64))  # refused before decoding
    assert caught.value.status == 413


def test_a_decompression_bomb_is_refused_at_the_configured_pixel_limit():
    # 10,000 x 10,000 one-bit pixels compress to a few kilobytes and would decode to 100 megapixels.
    bomb = encode(Image.new("1", (10_000, 10_000)), "PNG")
    assert len(bomb) < 100_000 and 10_000 * 10_000 > settings.VISION_MAX_PIXELS
    with pytest.raises(ImageRejected, match="pixels") as caught:
        open_image(bomb)
    assert caught.value.status == 400
    assert Image.MAX_IMAGE_PIXELS == settings.VISION_MAX_PIXELS  # Pillow's own guard follows the setting


def test_the_pixel_limit_is_checked_even_below_pillows_refusal(settings):
    data = encode(textured(480, 320))
    settings.VISION_MAX_PIXELS = 480 * 320 - 1
    with pytest.raises(ImageRejected, match="480x320 = 153600 pixels, over the limit"):
        open_image(data)
