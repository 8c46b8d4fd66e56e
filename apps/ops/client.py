"""A small client of Jobcast's public API for the command line: REST with a token, WebSocket streams.

No Django: `jobcast submit`, `tail` and `monitor` talk to a running server like any API client.
"""
from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import httpx

from apps.jobs import close_codes  # plain constants: the client stays free of Django
from project.terminal_language import terminal_language

DEFAULT_URL = "http://127.0.0.1:8000"


class ApiError(Exception):
    """The server refused a request (the message says why)."""


class ApiClient:
    """Token-authenticated access to one Jobcast server (JOBCAST_URL, JOBCAST_TOKEN)."""

    def __init__(self, base_url: str | None = None, token: str | None = None, *, username: str | None = None,
                 password: str | None = None, timeout: float = 30.0) -> None:
        self.base_url = (base_url or os.environ.get("JOBCAST_URL") or DEFAULT_URL).rstrip("/")
        self.http = httpx.Client(base_url=self.base_url, timeout=timeout)
        token = token or os.environ.get("JOBCAST_TOKEN")
        if not token and username:
            token = self._login(username, password or os.environ.get("JOBCAST_PASSWORD") or "")
        if not token:
            raise ApiError("no credentials: pass --token (or set JOBCAST_TOKEN), or --user with JOBCAST_PASSWORD")
        self.token = token
        self.http.headers["Authorization"] = f"Token {token}"
        # The server's messages (validation errors) in the terminal's language (issue 17).
        self.http.headers["Accept-Language"] = terminal_language()

    def _login(self, username: str, password: str) -> str:
        r = self.http.post("/api/auth/token/", json={"username": username, "password": password})
        if r.status_code != 200:
            raise ApiError(f"login as {username!r} failed: {r.text}")
        return r.json()["token"]

    def _json(self, response: httpx.Response, ok: tuple[int, ...] = (200,)) -> Any:
        if response.status_code not in ok:
            raise ApiError(f"{response.request.method} {response.request.url.path} → {response.status_code}: "
                           f"{response.text[:500]}")
        return response.json()

    def submit(self, kind: str, params: dict[str, Any], priority: int | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"kind": kind, "params": params}
        if priority is not None:
            body["priority"] = priority
        return self._json(self.http.post("/api/jobs/", json=body), ok=(201,))

    def job(self, job_id: str) -> dict[str, Any]:
        return self._json(self.http.get(f"/api/jobs/{job_id}/"))

    def jobs(self, status: str) -> list[dict[str, Any]]:
        return self._json(self.http.get("/api/jobs/", params={"status": status}))["results"]

    def events_after(self, job_id: str, after: int) -> list[dict[str, Any]]:
        return self._json(self.http.get(f"/api/jobs/{job_id}/events/", params={"after": after}))["events"]

    def ws_url(self, path: str) -> str:
        parsed = urlparse(self.base_url)
        scheme = "wss" if parsed.scheme == "https" else "ws"
        return f"{scheme}://{parsed.netloc}{parsed.path}{path}"

    def frames(self, path: str, *, reconnect_path=None) -> Iterator[dict[str, Any]]:
        """JSON frames of a WebSocket (token header, no Origin); reconnects on drops.

        `reconnect_path()` gives the path to use after a drop (e.g. with `?after=<last seq>`).
        """
        from websockets.exceptions import ConnectionClosed, InvalidStatus
        from websockets.sync.client import connect

        delay = 0.5
        while True:
            try:
                with connect(self.ws_url(path), additional_headers={"Authorization": f"Token {self.token}"},
                             open_timeout=20) as socket:
                    delay = 0.5
                    for raw in socket:
                        yield json.loads(raw)
                    code = socket.close_code
            except ConnectionClosed as exc:
                code = exc.rcvd.code if exc.rcvd else None
            except (OSError, InvalidStatus, TimeoutError) as exc:
                code = None
                if isinstance(exc, InvalidStatus):
                    raise ApiError(f"WebSocket {path} refused: HTTP {exc.response.status_code}") from None
            if code in close_codes.MEANING:
                raise ApiError(f"WebSocket {path} closed with {code} ({close_codes.MEANING[code]})")
            time.sleep(delay)
            delay = min(delay * 2, 10)
            if reconnect_path is not None:
                path = reconnect_path()

    def job_stream(self, job_id: str) -> Iterator[dict[str, Any]]:
        """The job's snapshot, then every event in seq order, surviving reconnects (after=<last seq>)."""
        last = {"seq": 0}
        for frame in self.frames(f"/ws/jobs/{job_id}/?after=0",
                                 reconnect_path=lambda: f"/ws/jobs/{job_id}/?after={last['seq']}"):
            if frame.get("type") == "event":
                if frame["seq"] <= last["seq"]:
                    continue
                last["seq"] = frame["seq"]
            yield frame

    def close(self) -> None:
        self.http.close()
