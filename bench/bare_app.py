"""The floor of `bench.http_cost`: the smallest ASGI app, served by the same daphne binary."""
from __future__ import annotations

BODY = b'{"ok": true}'


async def app(scope, receive, send):
    """Answer every HTTP request with `{"ok": true}`."""
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(BODY)).encode())]})
    await send({"type": "http.response.body", "body": BODY})
