"""Signal receivers of apps.progress: finish (or revoke) the job of a task that reported through a ProgressRecorder.

Connected from ProgressConfig.ready(), so they are live in every process (web, worker, beat).
"""
from __future__ import annotations

import json
import logging
from typing import Any

from celery import signals as celery_signals
from celery.exceptions import Retry
from django.db import close_old_connections

from apps.jobs import events, publisher, services, states
from apps.jobs.exceptions import JobCancelled
from apps.jobs.models import Job
from apps.progress import recorder
from apps.progress.kinds import CELERY_TASK_KIND

logger = logging.getLogger(__name__)


def task_postrun(sender=None, task_id=None, task=None, retval=None, state=None, **_: Any) -> None:
    """Finish the job of a task that reported through a ProgressRecorder, by its Celery outcome."""
    ctx = recorder.release(task_id) if task_id else None
    if ctx is not None:
        _finish(ctx, task_id, state, retval)


def _finish(ctx, task_id: str, state: str | None, retval: Any) -> None:
    job_id = ctx.job_id
    try:
        ctx.flush()
    except JobCancelled:  # cancelled meanwhile: the terminal event below is refused too
        logger.info("job %s was cancelled while its Celery task ran", job_id)
    try:
        if state == "SUCCESS":
            services.job_succeed(job_id=job_id, result=_jsonable(retval))
        elif state == "RETRY":
            countdown = _retry_countdown(retval)
            events.record(job_id, states.RETRY, heartbeat=False, message=f"retry in {countdown}s: {retval}",
                          data={"countdown": countdown})
        elif state == "IGNORED":
            services.job_succeed(job_id=job_id, result=None, message="ignored")
        elif state is not None:
            services.job_fail(job_id=job_id, error_type=type(retval).__name__, message=str(retval) or state)
    except states.TransitionRefused:
        pass  # cancelled in Jobcast while the task ran: the job is already revoked
    finally:
        publisher.flush()


def _retry_countdown(retval: Any) -> int | str:
    when = getattr(retval, "when", None) if isinstance(retval, Retry) else None
    return int(when) if isinstance(when, (int, float)) else "Unknown"


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=repr))


def task_revoked(request=None, terminated=False, **_: Any) -> None:
    """A celery-progress task revoked from Celery (e.g. `celery control revoke`): revoke its job."""
    task_id = getattr(request, "id", None)
    if not task_id:
        return
    job_id = (Job.objects.filter(task_id=task_id, kind=CELERY_TASK_KIND).exclude(status__in=states.TERMINAL)
              .values_list("pk", flat=True).first())
    if job_id is not None:
        try:
            events.record(job_id, states.REVOKED, message="revoked in Celery" + (" (terminated)" if terminated else ""))
        except states.TransitionRefused:
            pass
        publisher.flush()
    close_old_connections()


def connect() -> None:
    celery_signals.task_postrun.connect(task_postrun, weak=False, dispatch_uid="progress.task_postrun")
    celery_signals.task_revoked.connect(task_revoked, weak=False, dispatch_uid="progress.task_revoked")
