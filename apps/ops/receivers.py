"""Signal receivers of apps.ops: finish celery-progress jobs, name jobs in worker logs, time jobs.

Connected from OpsConfig.ready(), so they are live in every process (web, worker, beat).
"""
from __future__ import annotations

import json
import logging
from typing import Any

from celery import signals as celery_signals
from celery.exceptions import Retry
from django.db import close_old_connections

from apps.jobs import events, metrics, publisher, services, states
from apps.jobs.models import Job
from apps.jobs.signals import job_finished
from apps.ops import conf, logs, recorder
from apps.ops.kinds import CELERY_TASK_KIND

logger = logging.getLogger(__name__)

JOB_TASK_NAME = "jobs.run"


def task_prerun(sender=None, task_id=None, task=None, args=None, kwargs=None, **_: Any) -> None:
    """Bind the task's job (a Jobcast job attempt: its id is the first argument) to log records."""
    if task is not None and task.name == JOB_TASK_NAME and args:
        kind = Job.objects.filter(pk=args[0]).values_list("kind", flat=True).first()
        logs.bind(job_id=str(args[0]), kind=kind, task_id=task_id)
    else:
        logs.bind(job_id=None, kind=None, task_id=task_id)


def task_postrun(sender=None, task_id=None, task=None, retval=None, state=None, **_: Any) -> None:
    """Finish the job of a task that reported through a ProgressRecorder, by its Celery outcome."""
    try:
        ctx = recorder.release(task_id) if task_id else None
        if ctx is not None:
            _finish(ctx, task_id, state, retval)
    finally:
        logs.clear()


def _finish(ctx, task_id: str, state: str | None, retval: Any) -> None:
    job_id = ctx.job_id
    try:
        ctx.flush()
    except Exception:  # cancelled meanwhile: the terminal event below is refused too
        pass
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


def job_duration(sender=None, job_id=None, kind=None, status=None, **_: Any) -> None:
    """Observe started → finished of a job that reached a terminal status in this process."""
    times = Job.objects.filter(pk=job_id).values_list("started_at", "finished_at").first()
    if times and times[0] and times[1]:
        metrics.JOB_DURATION.labels(kind=kind, status=status).observe((times[1] - times[0]).total_seconds())


def setup_logging(**_: Any) -> None:
    """Celery (re)configured its loggers: put the job filter and format back on."""
    logs.install(conf.LOG_FORMAT)


def connect() -> None:
    celery_signals.task_prerun.connect(task_prerun, weak=False, dispatch_uid="ops.task_prerun")
    celery_signals.task_postrun.connect(task_postrun, weak=False, dispatch_uid="ops.task_postrun")
    celery_signals.task_revoked.connect(task_revoked, weak=False, dispatch_uid="ops.task_revoked")
    celery_signals.after_setup_logger.connect(setup_logging, weak=False, dispatch_uid="ops.after_setup_logger")
    celery_signals.after_setup_task_logger.connect(setup_logging, weak=False, dispatch_uid="ops.after_setup_task_logger")
    job_finished.connect(job_duration, weak=False, dispatch_uid="ops.job_duration")
