"""celery-progress's `ProgressRecorder`, backed by Jobcast: task code runs unchanged and shows up as a job.

    from apps.progress.recorder import ProgressRecorder   # instead of celery_progress.backend

    @shared_task(bind=True)
    def crunch(self, n):
        recorder = ProgressRecorder(self)
        for i in range(n):
            ...
            recorder.set_progress(i + 1, n, f"item {i + 1}")

The first report adopts the running Celery task as a job of kind `ops.celery_task` keyed by
its task id (pending, then started), so `/celery-progress/<task_id>/`, `/ws/progress/<task_id>/`,
the REST API, the dashboard and the admin all show it. Progress is coalesced like `ctx.progress`.
The task's outcome (success, failure, retry) finishes the job from a `task_postrun` receiver
(`apps.progress.receivers`). Unlike celery-progress, a job cancelled in Jobcast stops the task at its
next report: `set_progress` raises `apps.jobs.exceptions.JobCancelled`.
"""
from __future__ import annotations

import json
import logging
import os
import threading
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from apps.jobs import events, states
from apps.jobs.context import JobContext
from apps.jobs.heartbeat import Heartbeat
from apps.jobs.models import Job
from apps.ops import logs
from apps.progress.kinds import CELERY_TASK_KIND

logger = logging.getLogger(__name__)

PROGRESS_STATE = "PROGRESS"


class ProgressRecorder:
    """Drop-in for `celery_progress.backend.ProgressRecorder` (same methods, same return values)."""

    def __init__(self, task) -> None:
        self.task = task
        self.current: float = 0
        self.total: float = 0
        self.description: str = ""

    def set_progress(self, current: float, total: float, description: str = "") -> tuple[str, dict[str, Any]]:
        """Report `current` of `total`; returns celery-progress's (state, meta)."""
        self.current, self.total = current, total
        if description:
            self.description = description
        percent = float(round(Decimal(str(current)) / Decimal(str(total)) * 100, 2)) if total > 0 else 0
        ctx = active_context(self.task)
        if total > 0:
            ctx.progress(current, total, message=description)
        else:
            ctx.progress(0, message=description)
        return PROGRESS_STATE, {"pending": False, "current": current, "total": total, "percent": percent,
                                "description": description}

    def increment_progress(self, by: float = 1, description: str = "") -> tuple[str, dict[str, Any]]:
        """One step further when the total is unknown up front (celery-progress's API)."""
        return self.set_progress(self.current + by, self.total, description)


# task id -> the adopted job's reporting context and heartbeat, for this process's running tasks.
_active: dict[str, tuple[JobContext, Heartbeat]] = {}
_active_lock = threading.Lock()


def active_context(task) -> JobContext:
    """The JobContext of the task's job, adopting the task as a job on first use."""
    task_id = task.request.id
    with _active_lock:
        found = _active.get(task_id)
    if found is not None:
        return found[0]
    job = task_job_adopt(
        task_id=task_id, task_name=task.name, args=list(task.request.args or []),
        kwargs=dict(task.request.kwargs or {}), queue=(task.request.delivery_info or {}).get("routing_key") or "",
        owner=task_owner(task.request))
    ctx = JobContext(job)
    heartbeat = Heartbeat(job.pk)
    heartbeat.start()
    with _active_lock:
        _active[task_id] = (ctx, heartbeat)
    logs.bind(job_id=str(job.pk), kind=job.kind, task_id=task_id)
    return ctx


def release(task_id: str) -> JobContext | None:
    """Forget a finished task's context (and stop its heartbeat); None if it never reported."""
    with _active_lock:
        found = _active.pop(task_id, None)
    if found is None:
        return None
    found[1].stop()
    return found[0]


def task_owner(request):
    """The header `jobcast_owner_id`, else the kwarg OPS_PROGRESS_OWNER_KWARG, else the service user."""
    User = get_user_model()
    headers = getattr(request, "headers", None) or {}
    candidates = (getattr(request, "jobcast_owner_id", None), headers.get("jobcast_owner_id"),
                  (request.kwargs or {}).get(settings.OPS_PROGRESS_OWNER_KWARG) if settings.OPS_PROGRESS_OWNER_KWARG else None)
    for candidate in candidates:
        try:
            owner = User.objects.filter(pk=int(candidate), is_active=True).first() if candidate is not None else None
        except (TypeError, ValueError):
            owner = None
        if owner is not None:
            return owner
    user, created = User.objects.get_or_create(username=settings.OPS_PROGRESS_SERVICE_USER)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def task_job_adopt(*, task_id: str, task_name: str, args: list, kwargs: dict, queue: str, owner) -> Job:
    """Find or create the job of a running Celery task, and make sure it is `started`."""
    job = Job.objects.filter(task_id=task_id).order_by("-created_at").first()
    if job is None:
        with transaction.atomic():
            job = Job.objects.create(owner=owner, kind=CELERY_TASK_KIND, queue=queue or "celery", task_id=task_id,
                                     params={"task": task_name, "args": _jsonable(args), "kwargs": _jsonable(kwargs)})
            events.record(job.pk, states.PENDING, message="queued", data={"queue": job.queue, "task": task_name})
        logger.info("adopted Celery task %s[%s] as job %s", task_name, task_id, job.pk)
    if job.status in (states.PENDING, states.RETRY):
        events.record(job.pk, states.STARTED, message="started", heartbeat=True,
                      data={"worker": f"{os.uname().nodename}:{os.getpid()}", "task_id": task_id})
    return Job.objects.get(pk=job.pk)


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=repr))


