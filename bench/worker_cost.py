"""Worker cost: the CPU one worker process spends per stored-and-pushed event and per job, in-process.

Run:  .venv/bin/python -m bench.worker_cost [--jobs 50] [--steps 20] [--rounds 3] [--profile]

One process, a fresh SQLite file and a private redis-server (broker, channel layer and the
PUBLISHes). N ticker jobs are created as POST /api/jobs/ creates them (`services.job_create`:
the pending event, the Celery message sent on commit), their messages are taken off the broker
and made into worker requests (`celery.worker.request.Request`, as the worker's main process
does; not measured), then each runs as a prefork pool child runs it: `fast_trace_task` with the
tracers `setup_worker_optimizations` builds. So the task_prerun/postrun receivers, track_started
and the result backend (django-db) are paid as in the worker, and with them `run_attempt`, the
ticker body, `events.record` and the PUBLISHes. The worker's main process (receiving, acks, task
events) is not in this figure; `bench.throughput` measures the whole worker end to end.

Reported per round: `time.process_time()` (all threads of this process) per event and per job,
SQL statements per job (SQLite's trace callback: all of them, BEGIN and COMMIT included), events and jobs per CPU second.
With `--profile`, one more round under pyinstrument (its text tree printed; wall clock, which
is CPU here: nothing sleeps).

Runs unchanged in a worktree of an earlier commit with this file copied in (eaa9697 was checked):
it needs only `services.job_create`, the ticker and Celery's tracer; the django-celery-results
row count is None where that app is absent.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from bench.report import header, print_table, write_json

BENCH_ENV = {"JOBS_PROGRESS_MIN_INTERVAL_MS": "0", "DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "bench-secret",
             "DJANGO_SETTINGS_MODULE": "project.settings", "JOBS_HEARTBEAT_INTERVAL_S": "5",
             "PYTHONUNBUFFERED": "1"}


def setup(workdir: Path) -> Any:
    """A private redis-server and a migrated SQLite file, the environment pointing at both; the server."""
    from livestack.redis_server import RedisServer

    redis_server = RedisServer.start()
    os.environ.update({**BENCH_ENV, "DATABASE_URL": f"sqlite:///{workdir}/db.sqlite3",
                       "REDIS_URL": redis_server.url, "CELERY_BROKER_URL": redis_server.url,
                       "CHANNEL_LAYER_URL": redis_server.url, "MEDIA_ROOT": str(workdir / "media")})
    for key in [k for k in os.environ if k.startswith("PYTEST")]:
        del os.environ[key]
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    from celery import current_app

    current_app.loader.import_default_modules()  # what a worker does at start: every app's tasks
    _log_to(workdir / "worker.log")
    return redis_server


def _log_to(path: Path) -> None:
    """Log lines (the worker logs each task at INFO) go to a file, as a worker's do, not to the table."""
    import logging

    stream = open(path, "a")
    for logger in (logging.getLogger(), *(logging.getLogger(n) for n in logging.root.manager.loggerDict)):
        for handler in getattr(logger, "handlers", []):
            if isinstance(handler, logging.StreamHandler) and not isinstance(handler, logging.FileHandler):
                handler.setStream(stream)


class StatementCounter:
    """Every SQL statement SQLite runs on this thread's connection (BEGIN and COMMIT included,
    and the event store's statements, which bypass Django's cursor wrapper)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, statement: str) -> None:
        self.count += 1

    def __enter__(self) -> "StatementCounter":
        from django.db import connection

        connection.ensure_connection()
        connection.connection.set_trace_callback(self)
        return self

    def __exit__(self, *exc: Any) -> None:
        from django.db import connection

        connection.connection.set_trace_callback(None)


HOSTNAME = "bench@worker-cost"


def setup_worker() -> None:
    """What a prefork worker does before its first task: fast_trace_task on, every task's tracer built."""
    from celery import current_app
    from celery.app import trace

    trace.setup_worker_optimizations(current_app, HOSTNAME)  # the worker's main process
    for name, task in current_app.tasks.items():  # the pool child's process_initializer
        task.__trace__ = trace.build_tracer(name, task, current_app.loader, HOSTNAME, app=current_app)


def fetch_requests(queue: str, n: int) -> list[tuple[str, str, dict[str, Any], Any, str, str]]:
    """The N messages job_create sent, taken off the private broker and turned into what the
    worker's main process hands a pool child (celery.worker.request.Request): not measured."""
    from celery import current_app
    from celery.worker.request import Request

    found = []
    with current_app.connection_for_read() as conn:
        bound = current_app.amqp.queues[queue](conn.default_channel)
        while len(found) < n:
            message = bound.get(no_ack=True)
            if message is None:
                raise RuntimeError(f"only {len(found)} of {n} messages on queue {queue!r}")
            req = Request(message, app=current_app, hostname=HOSTNAME)
            found.append((req._type, req.id, req._request_dict, req._body, req._content_type,
                          req._content_encoding))
    return found


def create_jobs(owner, n: int, steps: int) -> list[Any]:
    from apps.jobs import services

    return [services.job_create(owner=owner, kind="jobs.ticker", params={"steps": steps, "interval_ms": 0})
            for _ in range(n)]


def run_round(owner, n: int, steps: int, profiler=None) -> dict[str, Any]:
    """Create N jobs (not measured), then run each one's attempt through the tracer (measured)."""
    from celery.app.trace import fast_trace_task

    from apps.jobs import publisher
    from apps.jobs.models import Job

    jobs = create_jobs(owner, n, steps)
    seq_before = {j.pk: j.seq for j in Job.objects.filter(pk__in=[j.pk for j in jobs])}
    publisher.flush()
    requests = fetch_requests(jobs[0].queue, n)
    counter = StatementCounter()
    statuses: dict[str, int] = {}
    if profiler is not None:
        profiler.start()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    with counter:
        for name, task_id, request, body, content_type, content_encoding in requests:
            failed = fast_trace_task(name, task_id, request, body, content_type, content_encoding)[0]
            statuses["failed" if failed else "ok"] = statuses.get("failed" if failed else "ok", 0) + 1
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    if profiler is not None:
        profiler.stop()
    done = dict(Job.objects.filter(pk__in=seq_before).values_list("pk", "seq"))
    events = sum(done[pk] - seq_before[pk] for pk in seq_before)
    finished = Job.objects.filter(pk__in=seq_before, status="success").count()
    return {"jobs": n, "steps": steps, "events": events, "jobs_succeeded": finished, "cpu_s": round(cpu, 4),
            "wall_s": round(wall, 4), "ms_cpu_per_event": round(1000 * cpu / events, 4) if events else None,
            "ms_cpu_per_job": round(1000 * cpu / n, 3), "events_per_cpu_s": round(events / cpu, 1) if cpu else None,
            "statements_per_job": round(counter.count / n, 2), "result_rows": _result_rows(), "trace_states": statuses}


def _result_rows() -> int | None:
    """Rows in django-celery-results' table so far (None when the app is not installed)."""
    try:
        from django_celery_results.models import TaskResult
    except Exception:
        return None
    return TaskResult.objects.count()


def _owner():
    from django.contrib.auth import get_user_model

    User = get_user_model()
    return User.objects.get_or_create(username=f"bench-{uuid.uuid4().hex[:6]}")[0]


def _profile_text(n: int, steps: int, owner) -> str | None:
    try:
        from pyinstrument import Profiler
    except ImportError:
        return None
    profiler = Profiler(interval=0.0005, async_mode="disabled")
    # pyinstrument samples wall time; the bench does no sleeping, so wall ≈ CPU here.
    run_round(owner, n, steps, profiler=profiler)
    return profiler.output_text(unicode=False, color=False, show_all=False)


def print_results(rows: list[dict[str, Any]], summary: dict[str, Any]) -> None:
    print_table(f"worker cost: {rows[0]['jobs']} ticker jobs x {rows[0]['steps']} steps per round, in-process",
                ["round", "events", "CPU s", "ms CPU/event", "ms CPU/job", "events/CPU-s", "SQL/job",
                 "succeeded"],
                [[i + 1, r["events"], r["cpu_s"], r["ms_cpu_per_event"], r["ms_cpu_per_job"],
                  r["events_per_cpu_s"], r["statements_per_job"], r["jobs_succeeded"]] for i, r in enumerate(rows)])
    print(f"\nmedian: {summary['ms_cpu_per_event']} ms CPU/event, {summary['ms_cpu_per_job']} ms CPU/job, "
          f"{summary['events_per_cpu_s']} events/CPU-s; django-celery-results rows: {summary['result_rows']}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jobs", type=int, default=50, help="ticker jobs per round")
    ap.add_argument("--steps", type=int, default=20, help="progress steps per job (each one an event)")
    ap.add_argument("--rounds", type=int, default=3, help="measured rounds (after one unmeasured warm-up)")
    ap.add_argument("--profile", action="store_true", help="one more round under pyinstrument; print its tree")
    ap.add_argument("--out", type=Path, default=None, help="directory for the JSON (default bench/results)")
    args = ap.parse_args(argv)

    results = header("worker_cost")
    workdir = Path(tempfile.mkdtemp(prefix="jobcast-worker-cost-"))
    redis_server = setup(workdir)
    try:
        setup_worker()
        owner = _owner()
        run_round(owner, max(2, args.jobs // 10), args.steps)  # warm-up: imports, prepared statements
        rows = [run_round(owner, args.jobs, args.steps) for _ in range(args.rounds)]
        summary = {key: round(statistics.median(r[key] for r in rows), 3)
                   for key in ("ms_cpu_per_event", "ms_cpu_per_job", "events_per_cpu_s", "statements_per_job")}
        summary["result_rows"] = rows[-1]["result_rows"]
        results.update(rows=rows, summary=summary)
        if args.profile:
            results["profile"] = _profile_text(args.jobs, args.steps, owner)
    finally:
        redis_server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    print_results(rows, summary)
    if results.get("profile"):
        print("\n" + results["profile"])
    write_json("worker_cost", results, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
