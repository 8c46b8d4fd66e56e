"""Benchmark stacks: livestack.stack.LiveStack with every progress call an event.

Some benchmarks need hundreds of ticker jobs running at once; Celery's prefork pool runs one
job per process, so those stacks use the threads pool (`threaded=True`) with one thread per job.
"""
from __future__ import annotations

import subprocess
from datetime import datetime

from livestack.stack import LiveStack

BENCH_ENV = {"JOBS_PROGRESS_MIN_INTERVAL_MS": "0", "CELERY_WORKER_MAX_TASKS_PER_CHILD": "100000"}


class ThreadedLiveStack(LiveStack):
    """A LiveStack whose workers run jobs in threads (`-P threads -c <concurrency>`)."""

    def start_worker(self, name: str, queues: str | None = None, pool: str = "threads",
                     concurrency: int | None = None) -> subprocess.Popen:
        return super().start_worker(name, queues=queues, pool=pool, concurrency=concurrency)


def bench_stack(*, workers: int = 1, daphnes: int = 1, concurrency: int = 2, threaded: bool = False,
                env: dict[str, str] | None = None) -> LiveStack:
    """Start a private stack (its own redis-server, SQLite DB, daphne(s), worker(s))."""
    cls = ThreadedLiveStack if threaded else LiveStack
    return cls(workers=workers, daphnes=daphnes, concurrency=concurrency,
               env={**BENCH_ENV, **(env or {})}).start()


def parse_ts(ts: str) -> float:
    """An event's ISO-8601 `ts` as a Unix timestamp (comparable with time.time())."""
    return datetime.fromisoformat(ts).timestamp()
