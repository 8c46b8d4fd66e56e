"""Static files served before Django (project/static_asgi.py) answer exactly as Django + whitenoise do."""
import asyncio
import gzip

import pytest
from django.core.handlers.asgi import ASGIHandler

from project.asgi_handler import ThreadedASGIHandler
from project.static_asgi import StaticFilesFirst

CSS = b"body { color: #123456; }\n" * 200


@pytest.fixture
def static_root(tmp_path, settings):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "site.css").write_bytes(CSS)
    (tmp_path / "app" / "site.css.gz").write_bytes(gzip.compress(CSS))
    settings.STATIC_ROOT = str(tmp_path)
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    return tmp_path


class CountingHandler(ThreadedASGIHandler):
    """The Django handler, counting the requests that reached it."""

    calls = 0

    async def __call__(self, scope, receive, send):
        self.calls += 1
        return await super().__call__(scope, receive, send)


def request(app, path, *, method="GET", headers=(), query=b""):
    """Status, headers (lower-cased, sorted) and body of one request through an ASGI app."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": query, "root_path": "",
             "headers": [(b"host", b"localhost"), *headers], "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}
    messages = []

    async def run():
        done = asyncio.Event()
        received = False

        async def receive():
            nonlocal received
            if not received:
                received = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await done.wait()
            return {"type": "http.disconnect"}

        async def send(message):
            messages.append(message)

        await app(scope, receive, send)
        done.set()

    asyncio.run(run())
    start = messages[0]
    headers = sorted((k.decode().lower(), v.decode()) for k, v in start["headers"])
    return start["status"], headers, b"".join(m.get("body", b"") for m in messages[1:])


CASES = [
    ("plain", "/static/app/site.css", {}),
    ("gzip", "/static/app/site.css", {"headers": [(b"accept-encoding", b"gzip, deflate")]}),
    ("head", "/static/app/site.css", {"method": "HEAD"}),
    ("range", "/static/app/site.css", {"headers": [(b"range", b"bytes=0-9")]}),
]


@pytest.mark.parametrize(("name", "path", "kwargs"), CASES, ids=[c[0] for c in CASES])
def test_a_static_file_is_served_before_django_with_the_same_answer(static_root, name, path, kwargs):
    django_only = request(ASGIHandler(), path, **kwargs)
    handler = CountingHandler()
    assert request(StaticFilesFirst(handler), path, **kwargs) == django_only
    assert django_only[0] in (200, 206)
    assert handler.calls == 0


def test_a_conditional_get_is_a_304_as_before(static_root):
    etag = dict(request(ASGIHandler(), "/static/app/site.css")[1])["etag"]
    headers = [(b"if-none-match", etag.encode())]
    django_only = request(ASGIHandler(), "/static/app/site.css", headers=headers)
    assert django_only[0] == 304
    assert request(StaticFilesFirst(CountingHandler()), "/static/app/site.css", headers=headers) == django_only


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "kwargs"), [
    ("/static/app/missing.css", {}),
    ("/static/app/site.css", {"query": b"v=%00"}),
    ("/static/app/site.css", {"method": "POST"}),
])
def test_anything_else_goes_to_django(static_root, path, kwargs):
    django_only = request(ASGIHandler(), path, **kwargs)
    handler = CountingHandler()
    assert request(StaticFilesFirst(handler), path, **kwargs) == django_only
    assert django_only[0] >= 400
    assert handler.calls == 1
