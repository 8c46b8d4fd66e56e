"""Collected static files answered on the event loop, before the rest of Django.

Under Django's ASGI handler a whitenoise response costs thread hops and a copy of the file
through `sync_to_async(list)`: about 6x the CPU of a bare ASGI app (docs/benchmarks.md, "HTTP
cost"). For a GET or HEAD under STATIC_URL without a body or query string, this runs only the
settings' MIDDLEWARE up to and including WhiteNoiseMiddleware (body limit, NUL check,
SecurityMiddleware's redirect and headers, whitenoise's own file table and headers), in this
thread, and streams the file. Whatever whitenoise does not serve (unknown path, any other
request) goes to Django untouched, so every response keeps the headers and status it had.
"""
from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.exception import convert_exception_to_response
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.log import log_response
from django.utils.module_loading import import_string

WHITENOISE = "whitenoise.middleware.WhiteNoiseMiddleware"
CHUNK_BYTES = 64 * 1024


class _NotStatic(HttpResponse):
    """What the innermost handler answers: whitenoise has no such file, ask Django."""


def _not_static(request: HttpRequest) -> HttpResponseBase:
    return _NotStatic()


class StaticFilesFirst:
    """ASGI app: static files through the MIDDLEWARE prefix ending in whitenoise, the rest to `handler`."""

    def __init__(self, handler: ASGIHandler) -> None:
        self.handler = handler
        self.chain = None
        if WHITENOISE in settings.MIDDLEWARE:
            chain = convert_exception_to_response(_not_static)
            for path in reversed(settings.MIDDLEWARE[: settings.MIDDLEWARE.index(WHITENOISE) + 1]):
                chain = convert_exception_to_response(import_string(path)(chain))
            self.chain = chain
            self.prefix = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else f"/{settings.STATIC_URL}"

    def _is_candidate(self, scope: dict[str, Any]) -> bool:
        if self.chain is None or scope["type"] != "http" or scope.get("root_path"):
            return False
        if scope["method"] not in ("GET", "HEAD") or scope.get("query_string"):
            return False
        if not scope["path"].startswith(self.prefix):
            return False
        return not any(name in (b"content-length", b"transfer-encoding") for name, _ in scope.get("headers", ()))

    async def __call__(self, scope, receive, send) -> None:
        if self._is_candidate(scope):
            request, error = self.handler.create_request(scope, io.BytesIO())
            if request is not None:
                response = self.chain(request)
                if not isinstance(response, _NotStatic):
                    return await self._send(request, response, send)
        return await self.handler(scope, receive, send)

    async def _send(self, request: HttpRequest, response: HttpResponseBase, send) -> None:
        if response.status_code >= 400:
            log_response("%s: %s", response.reason_phrase, request.path, response=response, request=request)
        try:
            headers = [(k.encode("ascii"), v.encode("latin1")) for k, v in response.items()]
            headers += [(b"Set-Cookie", c.output(header="").encode("ascii").strip())
                        for c in response.cookies.values()]
            await send({"type": "http.response.start", "status": response.status_code, "headers": headers})
            stream = getattr(response, "file_to_stream", None)
            if stream is not None:
                while chunk := stream.read(CHUNK_BYTES):
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
                await send({"type": "http.response.body"})
            elif response.streaming:
                await send({"type": "http.response.body", "body": b"".join(response.streaming_content)})
            else:
                await send({"type": "http.response.body", "body": response.content})
        finally:
            response.close()
