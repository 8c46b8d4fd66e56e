"""Against celery-progress 0.5: the same work reported with its recorders and with Jobcast's ctx.

Run:  .venv/bin/python -m bench.celery_progress_compare [--calls 500] [--interval-ms 10] [--pollers 10]

Everything runs in this process, the way a worker would call it: Django set up against a temp
SQLite database (migrated), a private redis-server (livestack/redis_server.py) as broker and
channel layer, result backend django-db (the project's setting). The same work (`--calls`
progress reports, `--interval-ms` apart) is reported four ways, one after another:
  jobcast          ctx.progress() of apps.jobs (JOBS_PROGRESS_MIN_INTERVAL_MS=0: every call an
                   event); latency = call → the event arriving at a subscriber of `job.<id>`;
  cp-recorder      celery-progress's ProgressRecorder (task.update_state into the result backend),
                   worker-side cost only;
  cp-polled        the same, with `--pollers` clients polling its view (get_progress) every
                   `--poll-ms` (500 ms is its JavaScript's default): latency = call → a poll
                   showing that value or a later one (values overwritten between two polls
                   are never shown: "shown" counts the values a poller did show);
  cp-websocket     its WebSocketProgressRecorder (update_state + async_to_sync(group_send) to the
                   group <task_id>); latency = call → message at a subscriber of that group.
Per way: cost per progress call in the caller (time.perf_counter around the call), latency
percentiles, and Redis connections opened (INFO stats total_connections_received delta).
Subscribers and pollers are threads of this process, so HTTP and daphne are not in these
figures (bench.push_vs_polling measures those).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any, Callable

from bench.report import header, print_table, ratio, summary_ms, write_json
from livestack.redis_server import RedisServer

Report = Callable[[int, int], None]


def setup_django(workdir: Path, redis_url: str) -> None:
    """Project settings against a fresh SQLite file and the private redis-server, migrated."""
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "project.settings", "DJANGO_SECRET_KEY": "bench-only", "DJANGO_DEBUG": "false",
        "DATABASE_URL": f"sqlite:///{workdir}/db.sqlite3", "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url, "CHANNEL_LAYER_URL": redis_url, "CELERY_RESULT_BACKEND": "django-db",
        "JOBS_PROGRESS_MIN_INTERVAL_MS": "0", "MEDIA_ROOT": str(workdir / "media"),
    })
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def work(report: Report, calls: int, interval: float) -> list[float]:
    """The job both libraries report on: `calls` steps; returns each call's start (perf_counter)."""
    started = []
    for i in range(1, calls + 1):
        if interval:
            time.sleep(interval)
        started.append(time.perf_counter())
        report(i, calls)
    return started


def timed(report: Report, costs: list[float]) -> Report:
    """Wrap a report callable, recording its duration in ms."""
    def call(i: int, total: int) -> None:
        t0 = time.perf_counter()
        report(i, total)
        costs.append((time.perf_counter() - t0) * 1000)
    return call


class GroupListener:
    """A channel-layer subscriber on its own thread and loop, timing each message's arrival."""

    def __init__(self) -> None:
        from channels.layers import DEFAULT_CHANNEL_LAYER, channel_layers

        self.layer = channel_layers.make_backend(DEFAULT_CHANNEL_LAYER)
        self.loop = asyncio.new_event_loop()
        self.arrivals: list[tuple[float, dict]] = []
        threading.Thread(target=self.loop.run_forever, name="bench-listener", daemon=True).start()
        self._task = None

    def listen(self, group: str) -> None:
        """Join `group` and start recording (returns once subscribed in Redis)."""
        async def join():
            channel = await self.layer.new_channel()
            await self.layer.group_add(group, channel)
            self._task = asyncio.get_running_loop().create_task(self._receive(channel))
        asyncio.run_coroutine_threadsafe(join(), self.loop).result(10)
        # channels_redis's reader sleeps 100 ms while it has no subscription: let it wake up, or
        # the first messages of whichever way goes first wait up to 100 ms.
        time.sleep(0.25)

    async def _receive(self, channel: str) -> None:
        while True:
            message = await self.layer.receive(channel)
            self.arrivals.append((time.perf_counter(), message))

    def wait_for(self, count: int, timeout: float = 30) -> None:
        """Wait until `count` messages arrived (or `timeout`: a short count shows as fewer shown)."""
        deadline = time.monotonic() + timeout
        while len(self.arrivals) < count and time.monotonic() < deadline:
            time.sleep(0.01)

    def stop(self) -> None:
        """Stop recording (the next `listen` starts afresh)."""
        if self._task:
            self.loop.call_soon_threadsafe(self._task.cancel)
        self.arrivals = []

    def close(self) -> None:
        """Drop the subscriptions and the loop, before the redis-server goes away."""
        self.stop()
        asyncio.run_coroutine_threadsafe(self.layer.flush(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)


def push_latencies(arrivals: list[tuple[float, dict]], started: list[float], current_of) -> list[float]:
    """Arrival − call start for each message, matched on the step number it carries."""
    out = []
    for at, message in arrivals:
        step = current_of(message)
        if isinstance(step, int) and 1 <= step <= len(started):
            out.append((at - started[step - 1]) * 1000)
    return out


class Pollers:
    """Threads polling celery-progress's view, as its JavaScript does, recording new values."""

    def __init__(self, task_id: str, n: int, period: float) -> None:
        self.task_id, self.n, self.period = task_id, n, period
        self.sightings: list[tuple[float, int, int]] = []  # (when, current, the poller's previous value)
        self.requests = 0
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._poll, daemon=True) for _ in range(n)]

    def start(self) -> None:
        for t in self._threads:
            t.start()

    def stop(self) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(10)

    def _poll(self) -> None:
        from celery_progress.views import get_progress
        from django.db import connection
        from django.test import RequestFactory

        factory, last = RequestFactory(), 0
        next_at = time.monotonic() + random.uniform(0, self.period)
        try:
            while not self._stop.is_set():
                self._stop.wait(max(0.0, next_at - time.monotonic()))
                next_at += self.period
                response = get_progress(factory.get(f"/celery-progress/{self.task_id}/"), self.task_id)
                now = time.perf_counter()
                self.requests += 1
                current = json.loads(response.content)["progress"].get("current", 0)
                if current > last:
                    self.sightings.append((now, current, last))
                    last = current
        finally:
            connection.close()


def redis_connections(admin) -> int:
    """Connections the redis-server accepted so far (INFO stats total_connections_received)."""
    return int(admin.info("stats")["total_connections_received"])


def way_jobcast(admin, listener: GroupListener, calls: int, interval: float) -> dict[str, Any]:
    """A started job and its JobContext, as the runner builds them; progress through ctx.progress()."""
    from django.contrib.auth import get_user_model

    from apps.jobs import events, publisher, states
    from apps.jobs.context import JobContext
    from apps.jobs.models import Job

    conns0 = redis_connections(admin)
    owner, _ = get_user_model().objects.get_or_create(username="bench")
    job = Job.objects.create(owner=owner, kind="jobs.ticker", params={"steps": calls}, queue="jobs")
    events.record(job.pk, states.PENDING)
    events.record(job.pk, states.STARTED)
    ctx = JobContext(Job.objects.get(pk=job.pk))
    listener_conns = redis_connections(admin)
    listener.listen(events.job_group(job.pk))
    conns0 += redis_connections(admin) - listener_conns  # the subscriber's own connection is not the caller's
    costs: list[float] = []
    started = work(timed(lambda i, n: ctx.progress(i, n), costs), calls, interval)
    publisher.flush()
    listener.wait_for(calls)
    lat = push_latencies(listener.arrivals, started, lambda m: json.loads(m["text"])["data"].get("current"))
    listener.stop()
    return {"way": "jobcast", "calls": calls, "cost": summary_ms(costs), "latency": summary_ms(lat),
            "delivered": len(lat), "redis_connections_opened": redis_connections(admin) - conns0}


def celery_progress_task():
    """A bound Celery task object whose request id is a fresh task id (what a worker sets up)."""
    from project.celery import app

    @app.task(bind=True, name=f"bench.celery_progress_work.{uuid.uuid4().hex[:8]}")
    def celery_progress_work(self):
        """Never sent: the benchmark calls its recorder in-process, as the worker would."""

    task_id = str(uuid.uuid4())
    celery_progress_work.push_request(id=task_id, task=celery_progress_work.name, args=[], kwargs={})
    return celery_progress_work, task_id


def way_recorder(admin, calls: int, interval: float, *, pollers: int = 0,
                 poll_period: float = 0.5) -> dict[str, Any]:
    """celery-progress's ProgressRecorder, optionally watched by pollers of its view."""
    from celery_progress.backend import ProgressRecorder

    conns0 = redis_connections(admin)
    task, task_id = celery_progress_task()
    recorder = ProgressRecorder(task)
    poll = Pollers(task_id, pollers, poll_period) if pollers else None
    if poll:
        poll.start()
    costs: list[float] = []
    started = work(timed(lambda i, n: recorder.set_progress(i, n), costs), calls, interval)
    time.sleep(poll_period if poll else 0)  # let every poller have one more look at the last value
    if poll:
        poll.stop()
    name = "cp-polled" if poll else "cp-recorder"
    out: dict[str, Any] = {"way": name, "calls": calls, "cost": summary_ms(costs),
                           "redis_connections_opened": redis_connections(admin) - conns0}
    if poll:
        # Each call is shown when a poller first shows it or a later value.
        lat = [(at - started[k - 1]) * 1000 for at, current, previous in poll.sightings
               for k in range(previous + 1, current + 1)]
        out.update(latency=summary_ms(lat), delivered=len(poll.sightings), poll_requests=poll.requests, pollers=pollers,
                   poll_period_ms=int(poll_period * 1000))
    return out


def way_websocket_recorder(admin, listener: GroupListener, calls: int, interval: float) -> dict[str, Any]:
    """celery-progress's WebSocketProgressRecorder, its group watched on the channel layer."""
    from celery_progress.websockets.backend import WebSocketProgressRecorder

    conns0 = redis_connections(admin)
    task, task_id = celery_progress_task()
    recorder = WebSocketProgressRecorder(task)
    listener_conns = redis_connections(admin)
    listener.listen(task_id)
    conns0 += redis_connections(admin) - listener_conns
    costs: list[float] = []
    started = work(timed(lambda i, n: recorder.set_progress(i, n), costs), calls, interval)
    listener.wait_for(calls, timeout=10)
    lat = push_latencies(listener.arrivals, started, lambda m: m["data"]["progress"].get("current"))
    listener.stop()
    return {"way": "cp-websocket", "calls": calls, "cost": summary_ms(costs), "latency": summary_ms(lat),
            "delivered": len(lat), "redis_connections_opened": redis_connections(admin) - conns0}


def measure(*, calls: int, interval_ms: int, pollers: int, poll_ms: int) -> dict[str, Any]:
    """Set up Django and Redis in this process and run the four ways one after another."""
    import redis

    server = RedisServer.start()
    workdir = Path(tempfile.mkdtemp(prefix="jobcast-bench-cp-"))
    try:
        setup_django(workdir, server.url)
        admin = redis.Redis.from_url(server.url)
        listener = GroupListener()
        interval = interval_ms / 1000
        ways = [
            way_jobcast(admin, listener, calls, interval),
            way_recorder(admin, calls, interval),
            way_recorder(admin, calls, interval, pollers=pollers, poll_period=poll_ms / 1000),
            way_websocket_recorder(admin, listener, calls, interval),
        ]
        listener.close()
    finally:
        server.stop()
    by_name = {w["way"]: w for w in ways}
    jc = by_name["jobcast"]
    ratios = {}
    for name in ("cp-recorder", "cp-polled", "cp-websocket"):
        w = by_name[name]
        ratios[f"{name}_vs_jobcast"] = {
            "cost_p50_x": ratio(w["cost"]["p50_ms"], jc["cost"]["p50_ms"]),
            "cost_p99_x": ratio(w["cost"]["p99_ms"], jc["cost"]["p99_ms"]),
            "latency_p50_x": ratio(w["latency"]["p50_ms"], jc["latency"]["p50_ms"]) if "latency" in w else None,
            "latency_p99_x": ratio(w["latency"]["p99_ms"], jc["latency"]["p99_ms"]) if "latency" in w else None,
        }
    return {"ways": by_name, "ratios": ratios}


def print_results(results: dict[str, Any]) -> None:
    """The per-way table and the celery-progress ÷ Jobcast ratios."""
    rows = []
    for w in results["ways"].values():
        lat = w.get("latency", {})
        rows.append([w["way"], w["cost"]["p50_ms"], w["cost"]["p99_ms"], lat.get("p50_ms"), lat.get("p99_ms"),
                     w.get("delivered"), w["redis_connections_opened"]])
    p = results["params"]
    print_table(f"{p['calls']} progress calls, {p['interval_ms']} ms apart (in-process; result backend django-db)",
                ["way", "cost p50 ms", "cost p99 ms", "latency p50 ms", "latency p99 ms", "shown",
                 "Redis conns opened"], rows)
    rows = [[name, r["cost_p50_x"], r["cost_p99_x"], r["latency_p50_x"], r["latency_p99_x"]]
            for name, r in results["ratios"].items()]
    print_table("celery-progress ÷ Jobcast", ["", "cost p50 ×", "cost p99 ×", "latency p50 ×", "latency p99 ×"], rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--calls", type=int, default=500, help="progress calls per way")
    ap.add_argument("--interval-ms", type=int, default=10, help="time between two progress calls")
    ap.add_argument("--pollers", type=int, default=10, help="clients polling celery-progress's view")
    ap.add_argument("--poll-ms", type=int, default=500, help="their polling period")
    ap.add_argument("--out", type=Path, default=None, help="directory for the JSON (default bench/results)")
    args = ap.parse_args(argv)

    results = header("celery_progress_compare")
    results["params"] = {"calls": args.calls, "interval_ms": args.interval_ms, "pollers": args.pollers,
                         "poll_ms": args.poll_ms}
    import celery_progress  # noqa: F401  (fails clearly if the bench dependency is missing)

    results["celery_progress_version"] = _version("celery-progress")
    results.update(measure(calls=args.calls, interval_ms=args.interval_ms, pollers=args.pollers,
                           poll_ms=args.poll_ms))
    print_results(results)
    write_json("celery_progress_compare", results, args.out)
    return 0


def _version(dist: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return None


if __name__ == "__main__":
    sys.exit(main())
