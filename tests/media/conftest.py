"""Fixtures for the media app: a private MEDIA_ROOT, started jobs with a real context, a provider."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from apps.jobs import events, states
from apps.jobs.context import JobContext
from apps.jobs.services import job_create


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def started(alice):
    """Create a job of `kind` with validated-looking params and move it to `started`; returns (job, ctx)."""
    def make(kind: str, params: dict[str, Any], owner=None, notify: bool = False):
        job = job_create(owner=owner or alice, kind=kind, params=params, notify=notify)
        events.record(job.pk, states.STARTED, message="started")
        job.refresh_from_db()
        return job, JobContext(job, min_interval_ms=0)
    return make


def validated(serializer_class, data: dict[str, Any]) -> dict[str, Any]:
    """Params as the API would store them (defaults filled, JSON types)."""
    from apps.jobs.serializers import _jsonable

    serializer = serializer_class(data=data)
    assert serializer.is_valid(), serializer.errors
    return _jsonable(serializer.validated_data)


class FakeProvider:
    """A real HTTP server on loopback speaking the http provider protocol; tests steer its tasks."""

    def __init__(self) -> None:
        self.tasks: dict[str, dict[str, Any]] = {}
        self.files: dict[tuple[str, str], bytes] = {}
        self.submitted: list[dict[str, Any]] = []
        self.deleted: list[str] = []
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def _json(self, code: int, body: Any) -> None:
                data = json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                task_id = f"ext-{len(provider.submitted) + 1}"
                provider.submitted.append(body)
                provider.tasks[task_id] = {"status": "queued"}
                self._json(201, {"id": task_id})

            def do_GET(self):
                parts = self.path.strip("/").split("/")
                if len(parts) == 2 and parts[1] in provider.tasks:
                    return self._json(200, provider.tasks[parts[1]])
                if len(parts) == 4 and (parts[1], parts[3]) in provider.files:
                    data = provider.files[(parts[1], parts[3])]
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    return None
                return self._json(404, {"detail": "not found"})

            def do_DELETE(self):
                provider.deleted.append(self.path.strip("/").split("/")[-1])
                self._json(200, {})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def provider(settings):
    fake = FakeProvider()
    settings.MEDIA_HTTP_PROVIDER_URL = fake.url
    yield fake
    fake.stop()
