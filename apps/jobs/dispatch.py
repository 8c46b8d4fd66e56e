"""Hand a job attempt to whoever runs it: a Celery worker, or (CELERY_ENABLED=false) a thread.

Every send gets a fresh Celery task id, written on the job first: a message whose id is no
longer the job's (an old attempt, redelivered late) is recognised by the worker and dropped.
Messages are sent by task name (`jobs.run`), so this module needs nothing from `tasks.py`;
after an attempt, `follow_up` sends what its `Outcome` asks for (next step, or a retry).
"""
from __future__ import annotations

import logging
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

from celery import current_app
from django.conf import settings
from django.db import close_old_connections

from apps.jobs import registry
from apps.jobs.execution import Outcome, run_attempt
from apps.jobs.models import Job
from apps.jobs.queues import broker_is_amqp

logger = logging.getLogger(__name__)

RUN_TASK = "jobs.run"  # the Celery task that runs one attempt (apps/jobs/tasks.py)
# A message header naming the job's kind, so the worker's log binding (apps.ops.receivers)
# needs no query per task to learn it; messages without it still work (it queries then).
KIND_HEADER = "jobcast_kind"

_inline_lock = threading.Lock()
_inline_pool: ThreadPoolExecutor | None = None


def celery_priority(job_priority: int) -> int:
    """Jobcast's priority is 0-9 with 9 first; RabbitMQ serves 9 first too, Redis' emulation 0 first."""
    priority = max(0, min(9, job_priority))
    return priority if broker_is_amqp() else 9 - priority


def dispatch(job_id: uuid.UUID | str, *, step: int = 0, countdown: float | None = None) -> str:
    """Send one attempt (or pipeline step) of a job; returns the new task id."""
    job = Job.objects.only("id", "kind", "priority", "queue").get(pk=job_id)
    task_id = new_task_id()
    Job.objects.filter(pk=job.pk).update(task_id=task_id)
    send_attempt(job, task_id, step=step, countdown=countdown)
    return task_id


def new_task_id() -> str:
    return str(uuid.uuid4())


def send_attempt(job: Job, task_id: str, *, step: int = 0, countdown: float | None = None) -> None:
    """Send the attempt whose id `task_id` is already stored on the job (`kind`, `priority` and
    `queue` read from `job`); job_create stores it with the new row, saving a read and an update."""
    kind = registry.get(job.kind)
    if settings.CELERY_ENABLED:
        current_app.send_task(
            RUN_TASK,
            args=[str(job.pk), step],
            task_id=task_id,
            queue=job.queue if kind.per_job_queue else kind.queue,
            priority=celery_priority(job.priority),
            countdown=countdown,
            soft_time_limit=kind.soft_limit,
            time_limit=kind.hard_limit,
            headers={KIND_HEADER: job.kind},
        )
    else:
        _run_inline(str(job.pk), task_id, step, countdown or 0)


def follow_up(job_id: uuid.UUID | str, outcome: Outcome) -> None:
    """Send what a finished attempt asks for: the next pipeline step, or a retry after its delay."""
    if outcome.send_step is not None:
        dispatch(job_id, step=outcome.send_step, countdown=outcome.countdown)


def _run_inline(job_id: str, task_id: str, step: int, countdown: float) -> None:
    """CELERY_ENABLED=false: run in a thread of this process, never on the event loop."""
    if countdown > 0:
        timer = threading.Timer(countdown, _run_inline, args=(job_id, task_id, step, 0))
        timer.daemon = True
        timer.start()
        return
    _pool().submit(_inline_body, job_id, task_id, step)


def _inline_body(job_id: str, task_id: str, step: int) -> None:
    try:
        follow_up(job_id, run_attempt(job_id, task_id=task_id, step=step))
    except Exception:
        logger.exception("inline job %s crashed", job_id)
    finally:
        close_old_connections()


def _pool() -> ThreadPoolExecutor:
    global _inline_pool
    with _inline_lock:
        if _inline_pool is None:
            _inline_pool = ThreadPoolExecutor(settings.JOBS_INLINE_THREADS, thread_name_prefix="jobcast-inline")
        return _inline_pool
