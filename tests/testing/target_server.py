"""A small HTTP target for web tests and load tests, on loopback in the test process.

Endpoints: `/ok` (fast 200), `/slow?ms=` (sleeps), `/fail` (500), `/token` (JSON with a token),
`/echo` (201, echoes headers, query and body as JSON), `/mark?name=` (records arrival order),
`/block?key=` (waits until the test calls `release(key)`). It counts every request it answers,
so a load test's figures can be checked against the target's own count.
"""
from __future__ import annotations

import json
import secrets
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class TargetServer:
    """Start with `TargetServer().start()`; `url` is its base URL; `stop()` shuts it down."""

    def __init__(self) -> None:
        self.token = secrets.token_hex(8)
        self.counts: Counter = Counter()
        self.marks: list[str] = []
        self._lock = threading.Lock()
        self._gates: dict[str, threading.Event] = {}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="target-server", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def total(self) -> int:
        with self._lock:
            return sum(self.counts.values())

    def count(self, path: str) -> int:
        with self._lock:
            return self.counts[path]

    def start(self) -> "TargetServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        for gate in list(self._gates.values()):
            gate.set()
        self._server.shutdown()
        self._server.server_close()

    def gate(self, key: str) -> threading.Event:
        with self._lock:
            return self._gates.setdefault(key, threading.Event())

    def release(self, key: str) -> None:
        self.gate(key).set()

    def _handler(self):
        target = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as a real server would
            # One write per response and no Nagle: otherwise every answer waits ~40 ms for a delayed ACK.
            wbufsize = -1
            disable_nagle_algorithm = True

            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                self._serve()

            def do_POST(self) -> None:
                self._serve()

            def do_PUT(self) -> None:
                self._serve()

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                with target._lock:
                    target.counts[parts.path] += 1
                route = {
                    "/ok": lambda: (200, "text/plain", b"OK"),
                    "/slow": lambda: self._slow(query),
                    "/fail": lambda: (500, "text/plain", b"boom"),
                    "/token": lambda: self._json(200, {"data": {"ok": True, "token": target.token, "n": 3}}),
                    "/echo": lambda: self._echo(query, body),
                    "/mark": lambda: self._mark(query),
                    "/block": lambda: self._block(query),
                }.get(parts.path, lambda: (404, "text/plain", b"not found"))
                code, content_type, payload = route()
                self.send_response(code)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.send_header("X-Target", "yes")
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)
                try:
                    self.wfile.flush()
                except OSError:  # the client gave up (a step's timeout): nothing to answer
                    self.close_connection = True

            def _json(self, code: int, data) -> tuple[int, str, bytes]:
                return code, "application/json", json.dumps(data).encode()

            def _slow(self, query) -> tuple[int, str, bytes]:
                time.sleep(int(query.get("ms", 500)) / 1000)
                return 200, "text/plain", b"slow OK"

            def _echo(self, query, body: bytes) -> tuple[int, str, bytes]:
                try:
                    decoded = json.loads(body) if body else None
                except ValueError:
                    decoded = None
                return self._json(201, {"headers": dict(self.headers), "query": query,
                                        "body": body.decode(errors="replace"), "json": decoded})

            def _mark(self, query) -> tuple[int, str, bytes]:
                with target._lock:
                    target.marks.append(query.get("name", ""))
                return 200, "text/plain", b"marked"

            def _block(self, query) -> tuple[int, str, bytes]:
                target.gate(query.get("key", "")).wait(120)
                return 200, "text/plain", b"released"

        return Handler
