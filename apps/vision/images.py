"""Turn what a user sent into a fully decoded Pillow image, or refuse it with a clear reason.

The request runs this before a job is created and the worker runs it again to decode, so a
bad file (not base64, not an image, truncated, an unsupported format, too many bytes or
pixels) is refused with a 4xx and never reaches a worker.
"""
from __future__ import annotations

import base64
import binascii
import io
import re
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext, gettext_noop
from PIL import Image, UnidentifiedImageError

_DATA_URL = re.compile(r"^data:(?P<media>[\w.+-]+/[\w.+-]+)?(?P<params>(;[^,;]*)*),", re.IGNORECASE)
_WHITESPACE = re.compile(r"\s+")
# What Pillow raises on corrupt or truncated data while parsing or decoding.
_DECODE_ERRORS = (OSError, SyntaxError, EOFError, ValueError, IndexError, TypeError, KeyError,
                  ZeroDivisionError, MemoryError)


class ImageRejected(Exception):
    """Input that must not reach a worker; `status` is the HTTP answer (400, or 413 when too big).

    `msgid` is an English sentence about `%(field)s`; `said(field)` is it in the request's language
    (issue 17), `message` in English (logs, job errors).
    """

    def __init__(self, msgid: str, *, status: int = 400, **params: Any) -> None:
        self.msgid, self.params, self.status = msgid, params, status
        self.message = msgid % {**params, "field": "image_data"}
        super().__init__(self.message)

    def said(self, field: str) -> str:
        return gettext(self.msgid) % {**self.params, "field": field}


def image_bytes_from_base64(text: str) -> bytes:
    """Decode plain base64 or a `data:image/...;base64,` URL (the old frontend sent both)."""
    if not isinstance(text, str) or not text.strip():
        raise ImageRejected(gettext_noop("%(field)s is empty: send the image as base64 text"))
    text = text.strip()
    match = _DATA_URL.match(text)
    if match:
        if ";base64" not in match.group("params").lower():
            raise ImageRejected(gettext_noop("%(field)s is a data: URL without ;base64; send base64-encoded image data"))
        text = text[match.end():]
    text = _WHITESPACE.sub("", text)
    # base64 turns 3 bytes into 4 characters: refuse an oversized image before decoding it.
    if len(text) * 3 // 4 > settings.VISION_MAX_IMAGE_BYTES + 2:
        raise _too_big(len(text) * 3 // 4)
    text += "=" * (-len(text) % 4)  # tolerate stripped padding
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ImageRejected(gettext_noop("%(field)s is not valid base64")) from None
    if not data:
        raise ImageRejected(gettext_noop("%(field)s is empty: send the image as base64 text"))
    return data


def image_bytes_from_upload(upload: IO[bytes] | Any) -> bytes:
    """Read a multipart upload, refusing an oversized one before reading it."""
    size = getattr(upload, "size", None)
    if size is not None and size > settings.VISION_MAX_IMAGE_BYTES:
        raise _too_big(size)
    return upload.read()


def open_image(data: bytes) -> Image.Image:
    """Open, verify and fully decode an image within the byte, pixel and format limits."""
    if len(data) > settings.VISION_MAX_IMAGE_BYTES:
        raise _too_big(len(data))
    image = _open(data)
    fmt = image.format or "unknown"
    if fmt.upper() not in settings.VISION_ALLOWED_FORMATS:
        raise ImageRejected(gettext_noop("%(field)s is a %(format)s image; supported formats are %(formats)s"),
                            format=fmt, formats=", ".join(settings.VISION_ALLOWED_FORMATS))
    width, height = image.size
    if width * height > settings.VISION_MAX_PIXELS:
        raise _too_many_pixels(width, height)
    try:
        image.verify()  # checksums and chunk structure (PNG CRCs, …)
        image = _open(data)
        image.load()  # the full decode: catches truncated data that verify() cannot see
    except _DECODE_ERRORS as exc:
        raise ImageRejected(gettext_noop("%(field)s is a truncated or corrupt %(format)s file (%(error)s)"),
                            format=fmt, error=exc) from None
    if width <= 0 or height <= 0:
        raise ImageRejected(gettext_noop("%(field)s has no pixels"))
    return image


def _open(data: bytes) -> Image.Image:
    # Pillow refuses above twice MAX_IMAGE_PIXELS and only warns above it; open_image refuses
    # anything above the limit itself (warnings.catch_warnings is not thread-safe). Pillow's
    # bound is a module global: set it from the setting on each open, not once at start-up.
    Image.MAX_IMAGE_PIXELS = settings.VISION_MAX_PIXELS
    try:
        return Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        raise ImageRejected(gettext_noop("%(field)s has too many pixels for the limit of %(limit)s (%(error)s)"),
                            limit=settings.VISION_MAX_PIXELS, error=exc) from None
    except UnidentifiedImageError:
        raise ImageRejected(gettext_noop("%(field)s is not an image (no known image format recognised)")) from None
    except _DECODE_ERRORS as exc:
        raise ImageRejected(gettext_noop("%(field)s is a truncated or corrupt image file (%(error)s)"), error=exc) from None


def _too_big(size: int) -> ImageRejected:
    return ImageRejected(gettext_noop("%(field)s is %(size)s bytes, over the limit of %(limit)s bytes"), status=413,
                         size=size, limit=settings.VISION_MAX_IMAGE_BYTES)


def _too_many_pixels(width: int, height: int) -> ImageRejected:
    return ImageRejected(gettext_noop("%(field)s is %(width)sx%(height)s = %(pixels)s pixels, over the limit of %(limit)s pixels"),
                         width=width, height=height, pixels=width * height, limit=settings.VISION_MAX_PIXELS)
