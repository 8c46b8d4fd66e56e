"""The load-test engine: simulated users on one asyncio loop, each sending weighted httpx requests.

Why not Locust: it is not a dependency of this project, and its gevent monkey-patching must
never run inside a Celery worker. An asyncio user costs a coroutine and a pooled connection,
so one worker process holds hundreds of users (docs/testing.md has the measurements).
Plain code: no Django, no job; `on_second` is how a caller watches it.
"""
from __future__ import annotations

import asyncio
import contextvars
import logging
import random
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from typing import Any

import httpx

from apps.testing.loadstats import LoadStats

SecondCallback = Callable[[dict[str, Any]], Awaitable[None]]

# httpx logs every request at INFO; at hundreds of requests a second that floods the worker's
# log and costs more CPU than the requests. Dropped for the users' tasks only.
_in_load_test: contextvars.ContextVar[bool] = contextvars.ContextVar("in_load_test", default=False)


class _QuietDuringLoad(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not _in_load_test.get()


_quiet = _QuietDuringLoad()


class LoadTest:
    """Ramp `user_count` users up at `spawn_rate`/s, run for `run_time_s`, then drain in-flight requests."""

    def __init__(self, *, base_url: str, requests: list[dict[str, Any]], think_time_ms: list[int] | tuple[int, int],
                 user_count: int, spawn_rate: float, run_time_s: float, request_timeout_s: float = 30.0,
                 stop_timeout_s: float = 5.0, tick_s: float = 1.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.requests = requests
        self.weights = [int(r.get("weight", 1)) for r in requests]
        self.think_lo, self.think_hi = (list(think_time_ms) or [0, 0])[:2]
        self.user_count, self.spawn_rate, self.run_time_s = user_count, spawn_rate, run_time_s
        self.request_timeout_s, self.stop_timeout_s, self.tick_s = request_timeout_s, stop_timeout_s, tick_s
        self.stats = LoadStats()
        self.started_at: float | None = None
        self.ended_at: float | None = None
        self.ended_wall: datetime | None = None  # when the users were halted, for the result
        self._last_tick = 0.0
        self._stopping = False
        self._users: list[asyncio.Task] = []
        self._in_flight: set[asyncio.Task] = set()
        self._spawner: asyncio.Task | None = None
        self._client: httpx.AsyncClient | None = None

    # --- figures ------------------------------------------------------------------------------

    @property
    def users(self) -> int:
        return sum(1 for task in self._users if not task.done())

    def elapsed(self) -> float:
        if self.started_at is None:
            return 0.0
        return (self.ended_at or time.monotonic()) - self.started_at

    def live(self, point: dict[str, Any]) -> dict[str, Any]:
        """What a live chart needs each second: the point plus the per-name table so far."""
        return {**point, "table": self.stats.table(self.elapsed())}

    def result(self, state: str) -> dict[str, Any]:
        """docs/api.md's load-test result; `state` is running, finished, stopped or failed."""
        elapsed = self.elapsed()
        return {"state": state, "elapsed_s": round(elapsed, 2), "users": self.users,
                "ended_at": self.ended_wall.isoformat() if self.ended_wall else None,
                "stats": self.stats.stats(elapsed), "series": list(self.stats.series),
                "table": self.stats.table(elapsed), "errors": dict(self.stats.errors.most_common(20))}

    # --- running --------------------------------------------------------------------------------

    async def run(self, on_second: SecondCallback) -> dict[str, Any]:
        """Run the whole test; if cancelled (a stop), users are cancelled and figures stay readable."""
        if _quiet not in logging.getLogger("httpx").filters:
            logging.getLogger("httpx").addFilter(_quiet)
        _in_load_test.set(True)  # inherited by the users' tasks, created below
        limits = httpx.Limits(max_connections=self.user_count, max_keepalive_connections=self.user_count)
        async with httpx.AsyncClient(base_url=self.base_url, limits=limits, timeout=self.request_timeout_s,
                                     follow_redirects=False, trust_env=False) as client:
            self._client = client
            self.started_at = time.monotonic()
            try:
                self._spawner = asyncio.create_task(self._spawn())
                await self._tick_until_run_time(on_second)
                await self._drain()
            finally:
                await self._halt()
                self._close_window()
        return self.result("finished")

    async def _tick_until_run_time(self, on_second: SecondCallback) -> None:
        tick = 1
        while True:
            due = min(tick * self.tick_s, self.run_time_s)
            await asyncio.sleep(max(0.0, self.started_at + due - time.monotonic()))
            if due >= self.run_time_s:
                return
            now = self.elapsed()
            point = self.stats.second(t=now, users=self.users, interval_s=now - self._last_tick)
            self._last_tick = now
            await on_second(point)
            tick += 1

    async def _spawn(self) -> None:
        for index in range(self.user_count):
            due = self.started_at + index / self.spawn_rate
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            if self._stopping:
                return
            self._users.append(asyncio.create_task(self._user()))

    async def _user(self) -> None:
        while not self._stopping:
            request = random.choices(self.requests, weights=self.weights)[0]
            # Only the awaited request is "in flight": a user stopped while thinking sends nothing
            # more, so the final count matches what the target received.
            self._in_flight.add(asyncio.current_task())
            try:
                await self._send(request)
            finally:
                self._in_flight.discard(asyncio.current_task())
            if self._stopping:
                return
            await asyncio.sleep(random.uniform(self.think_lo, self.think_hi) / 1000.0)

    async def _send(self, request: dict[str, Any]) -> None:
        method = request.get("method", "GET").upper()
        kwargs: dict[str, Any] = {"headers": request.get("headers") or None}
        if "json" in request:
            kwargs["json"] = request["json"]
        started = time.perf_counter()
        error = None
        try:
            response = await self._client.request(method, request["path"], **kwargs)
            failed = response.status_code >= 400
            if failed:
                error = f"HTTP {response.status_code}"
        except httpx.HTTPError as exc:
            failed, error = True, type(exc).__name__
        self.stats.record(name=request["name"], method=method, elapsed_ms=(time.perf_counter() - started) * 1000,
                          failed=failed, error=error)

    async def _drain(self) -> None:
        """At the end of run_time: no new requests; in-flight ones get stop_timeout_s to finish."""
        self._stopping = True
        if self._spawner:
            self._spawner.cancel()
        thinking = [t for t in self._users if t not in self._in_flight and not t.done()]
        for task in thinking:
            task.cancel()
        if self._in_flight:
            await asyncio.wait(set(self._in_flight), timeout=self.stop_timeout_s)

    async def _halt(self) -> None:
        """Cancel whatever still runs (all of it on a stop) and wait for it to unwind."""
        self._stopping = True
        self.ended_at = self.ended_at or time.monotonic()
        self.ended_wall = self.ended_wall or datetime.now(timezone.utc)
        tasks = [t for t in [self._spawner, *self._users] if t is not None and not t.done()]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)

    def _close_window(self) -> None:
        """The last, partial second goes into the series too."""
        now = self.elapsed()
        if self.stats.window.requests or now - self._last_tick > 0.05:
            self.stats.second(t=now, users=0, interval_s=max(now - self._last_tick, 1e-3))
            self._last_tick = now
