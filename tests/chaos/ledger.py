"""The books every chaos test closes: WebSocket followers that reconnect with `after=`, and the audit.

A `Follower` follows one job on `/ws/jobs/<id>/?after=<last seq>` and reconnects after any
drop, refused connection or silence, exactly as a page does. `audit()` then checks that each
follower holds seq 1..n of its job once each, that its last event is the job's stored status,
and that the stored log itself is gap-free: the exact accounting the issue asks for.
"""
from __future__ import annotations

import asyncio
import json
import os
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from websockets.asyncio.client import connect
from websockets.exceptions import InvalidHandshake, WebSocketException

from livestack.stack import TERMINAL, LiveStack


@dataclass
class Follower:
    """One client following one job; survives drops by reconnecting with after=<last seq>."""

    job_id: str
    ws_base: Callable[[], str]
    headers: dict[str, str]
    idle_timeout: float = 3.0
    seqs: list[int] = field(default_factory=list)
    final: dict[str, Any] | None = None
    connects: int = 0
    refused: int = 0
    drops: int = 0
    stalls: int = 0
    snapshots: int = 0

    @property
    def last(self) -> int:
        return self.seqs[-1] if self.seqs else 0

    async def run(self, *, timeout: float = 120, drop_at: Iterable[float] = (), abort: bool = False,
                  rng: random.Random | None = None) -> "Follower":
        """Follow until a terminal event; `drop_at` are monotonic instants to hang up on purpose."""
        rng = rng or random.Random()
        drops = sorted(drop_at)
        deadline = time.monotonic() + timeout
        while self.final is None:
            if time.monotonic() > deadline:
                raise AssertionError(f"follower of {self.job_id} timed out at seq {self.last} "
                                     f"({self.connects} connects, {self.refused} refused)")
            url = f"{self.ws_base()}/ws/jobs/{self.job_id}/?after={self.last}"
            try:
                async with connect(url, additional_headers=self.headers, open_timeout=15, close_timeout=2,
                                   max_queue=None) as ws:
                    self.connects += 1
                    while self.final is None:
                        wait = self.idle_timeout
                        if drops:
                            wait = max(0.0, min(wait, drops[0] - time.monotonic()))
                        try:
                            raw = await asyncio.wait_for(ws.recv(), wait)
                        except TimeoutError:
                            if drops and time.monotonic() >= drops[0]:
                                drops.pop(0)
                                self.drops += 1
                                if abort or rng.random() < 0.5:
                                    ws.transport.abort()  # an abrupt loss, no closing handshake
                            else:
                                self.stalls += 1  # nothing for a while: resync from the log
                            break
                        self._take(json.loads(raw))
            except (OSError, TimeoutError, InvalidHandshake, WebSocketException):
                self.refused += 1
                await asyncio.sleep(0.1 + rng.random() * 0.4)
        return self

    def _take(self, frame: dict[str, Any]) -> None:
        if frame.get("type") == "snapshot":
            self.snapshots += 1
        elif frame.get("type") == "event":
            self.seqs.append(frame["seq"])
            if frame["event"] in TERMINAL:
                self.final = frame


@dataclass
class SseFollower:
    """The same client over Server-Sent Events: `GET /api/jobs/<id>/stream/`, resuming with
    `Last-Event-ID` as a browser's EventSource does (its first URL kept, `?after=0`)."""

    job_id: str
    http_base: Callable[[], str]
    headers: dict[str, str]
    idle_timeout: float = 20.0  # above the server's 15 s keep-alive
    seqs: list[int] = field(default_factory=list)
    final: dict[str, Any] | None = None
    connects: int = 0
    refused: int = 0
    drops: int = 0
    stalls: int = 0
    snapshots: int = 0

    @property
    def last(self) -> int:
        return self.seqs[-1] if self.seqs else 0

    async def run(self, *, timeout: float = 120, drop_at: Iterable[float] = (),
                  rng: random.Random | None = None) -> SseFollower:
        import httpx

        rng = rng or random.Random()
        drops = sorted(drop_at)
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient(timeout=httpx.Timeout(30, connect=15)) as client:
            while self.final is None:
                if time.monotonic() > deadline:
                    raise AssertionError(f"SSE follower of {self.job_id} timed out at seq {self.last} "
                                         f"({self.connects} connects, {self.refused} refused)")
                headers = {**self.headers, **({"Last-Event-ID": str(self.last)} if self.seqs else {})}
                try:
                    async with client.stream("GET", f"{self.http_base()}/api/jobs/{self.job_id}/stream/?after=0",
                                             headers=headers) as response:
                        if response.status_code != 200:
                            raise httpx.TransportError(f"stream answered {response.status_code}")
                        self.connects += 1
                        await self._read(response, drops)
                except (OSError, TimeoutError, httpx.HTTPError):
                    self.refused += 1
                    await asyncio.sleep(0.1 + rng.random() * 0.4)
        return self

    async def _read(self, response, drops: list[float]) -> None:
        """Read messages until the server ends the stream, a planned drop, or silence."""
        lines = response.aiter_lines()
        event, data = "message", []
        while self.final is None:
            wait = self.idle_timeout
            if drops:
                wait = max(0.0, min(wait, drops[0] - time.monotonic()))
            try:
                line = await asyncio.wait_for(anext(lines), wait)
            except StopAsyncIteration:
                return
            except TimeoutError:
                if drops and time.monotonic() >= drops[0]:
                    drops.pop(0)
                    self.drops += 1  # leaving the `async with` closes the connection mid-stream
                else:
                    self.stalls += 1
                return
            if line.startswith(":"):
                continue
            if line:
                name, _, value = line.partition(":")
                if name == "event":
                    event = value.strip()
                elif name == "data":
                    data.append(value.removeprefix(" "))
                continue
            if data:
                payload = json.loads("\n".join(data))
                if event == "snapshot":
                    self.snapshots += 1
                else:
                    self.seqs.append(payload["seq"])
                    if payload["event"] in TERMINAL:
                        self.final = payload
            event, data = "message", []


@dataclass
class Books:
    """What an audit counted: the figures docs/reliability.md reports."""

    jobs: int = 0
    followers: int = 0
    events_checked: int = 0
    connects: int = 0
    refused: int = 0
    drops: int = 0
    stalls: int = 0
    statuses: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in self.__dict__.items())


def audit(stack: LiveStack, job_ids: Iterable[str], followers: Iterable[Follower] = (), *,
          user: str = "alice") -> Books:
    """Exact accounting: every job finished, stored log 1..n, every follower holds exactly 1..n."""
    books = Books()
    logs: dict[str, tuple[dict, list[int]]] = {}
    for job_id in job_ids:
        job = stack.job(job_id, user)
        stored = [e["seq"] for e in stack.events(job_id, user=user)]
        assert job["status"] in TERMINAL, f"job {job_id} unfinished: {job['status']}"
        assert stored == list(range(1, job["seq"] + 1)), f"stored log of {job_id} has a gap or duplicate"
        logs[job_id] = (job, stored)
        books.jobs += 1
        books.statuses[job["status"]] = books.statuses.get(job["status"], 0) + 1
    for f in followers:
        job, stored = logs[f.job_id]
        assert f.seqs == stored, (f"follower of {f.job_id} holds {_describe(f.seqs)}, the log is 1..{job['seq']}")
        assert f.final is not None and f.final["status"] == job["status"], (f.final, job["status"])
        books.followers += 1
        books.events_checked += len(f.seqs)
        books.connects += f.connects
        books.refused += f.refused
        books.drops += f.drops
        books.stalls += f.stalls
    return books


def _describe(seqs: list[int]) -> str:
    dupes = sorted({s for s in seqs if seqs.count(s) > 1})
    gaps = sorted(set(range(1, max(seqs, default=0) + 1)) - set(seqs))
    return f"{len(seqs)} events, duplicates {dupes[:10]}, gaps {gaps[:10]}"


def report(name: str, books: Books | str, **figures: Any) -> None:
    """Print and append the run's figures (JOBCAST_RELIABILITY_LOG) for docs/reliability.md."""
    text = f"{name}: {books.line() if isinstance(books, Books) else books}"
    if figures:
        text += ", " + ", ".join(f"{k}={v}" for k, v in figures.items())
    print(text)
    target = os.environ.get("JOBCAST_RELIABILITY_LOG")
    if target:
        with Path(target).open("a") as fh:
            fh.write(text + "\n")


# --- processes ----------------------------------------------------------------------------

def descendants(pid: int) -> list[int]:
    """`pid` and every process below it (a Celery worker and its pool processes)."""
    found, frontier = [pid], [pid]
    while frontier:
        parent = frontier.pop()
        try:
            children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
        except OSError:
            continue
        found += [int(c) for c in children]
        frontier += [int(c) for c in children]
    return found


def rss_kb(pid: int) -> int:
    """Resident set size of one process, from /proc (0 once it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def redis_clients(stack: LiveStack, min_age_s: int = 0) -> int:
    """Connections the stack's redis-server holds (CLIENT LIST, minus the asking one).

    `min_age_s` counts only connections at least that old: the long-lived ones a leak would
    pile up, not the short ones a request opens and closes.
    """
    import redis

    client = redis.Redis.from_url(stack.redis_url, socket_timeout=5)
    try:
        me = client.client_id()
        return sum(1 for c in client.client_list() if int(c["id"]) != me and int(c["age"]) >= min_age_s)
    finally:
        client.close()


def kill_daphne(stack: LiveStack, index: int, sig: int) -> int:
    """Kill one daphne process group with `sig`; returns its port (free for a restart)."""
    proc, port = stack.daphnes.pop(index), stack.daphne_ports.pop(index)
    os.killpg(proc.pid, sig)
    proc.wait(15)
    return port


def _worker_procs(stack: LiveStack) -> list:
    return [p for p in stack.workers if "worker" in p.args]


def _health(stack: LiveStack) -> dict[str, Any]:
    import httpx

    try:
        return httpx.get(f"{stack.base}/api/health/", timeout=5).json()
    except (httpx.HTTPError, ValueError):
        return {}


def worker_crashed(stack: LiveStack) -> str | None:
    """The "Unrecoverable error" line a worker logged, if any (the worker then hangs or exits)."""
    for path in sorted(stack.dir.glob("worker-*.log")):
        for line in path.read_text(errors="replace").splitlines():
            if "Unrecoverable error" in line:
                return f"{path.name}: {line}"
    return None


def ensure_worker(stack: LiveStack, grace: float = 20) -> bool:
    """Replace the workers if none answers health pings within `grace` s; True when replaced."""
    from livestack.stack import wait_until

    try:
        if wait_until(lambda: worker_crashed(stack) or _health(stack).get("workers") == "ok", grace, 0.2,
                      what="a worker answering") is True:
            return False
    except AssertionError:
        pass
    for proc in _worker_procs(stack):
        if proc.poll() is None:
            os.killpg(proc.pid, 9)
            proc.wait(15)
    for path in stack.dir.glob("worker-*.log"):  # keep crash evidence apart from the new worker's log
        path.rename(path.with_suffix(".log.old"))
    stack.start_worker(f"w-replacement-{len(stack.workers) + 1}")
    stack.wait_healthy(120)
    return True


def redis_outage(stack: LiveStack, until: Callable[[], Any], timeout: float = 60) -> None:
    """Stop the stack's redis-server, wait for `until()` (the DB answers without Redis), start it again."""
    from livestack.redis_server import RedisServer
    from livestack.stack import wait_until

    stack.redis.stop()
    try:
        wait_until(until, timeout, 0.1, what="progress stored while Redis is down")
    finally:
        fresh = RedisServer.start(stack.redis.port)
        stack.redis.proc, stack.redis.workdir = fresh.proc, fresh.workdir
