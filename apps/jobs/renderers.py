"""A text/plain renderer, so `Accept: text/plain` on the output endpoint is not a 406."""
from __future__ import annotations

from rest_framework.renderers import BaseRenderer


class PlainTextRenderer(BaseRenderer):
    """Strings as they are; an error body (a dict with `detail`) as its message."""

    media_type = "text/plain"
    format = "txt"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if isinstance(data, dict) and "detail" in data:
            data = data["detail"]
        return str(data if data is not None else "").encode(self.charset)
