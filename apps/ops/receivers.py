"""Signal receivers of apps.ops: name jobs in worker logs, time jobs.

Connected from OpsConfig.ready(), so they are live in every process (web, worker, beat).
"""
from __future__ import annotations

import logging
from typing import Any

from celery import signals as celery_signals
from django.conf import settings

from apps.jobs import metrics
from apps.jobs.dispatch import KIND_HEADER
from apps.jobs.models import Job
from apps.jobs.signals import job_finished
from apps.ops import logs

logger = logging.getLogger(__name__)

JOB_TASK_NAME = "jobs.run"


def task_prerun(sender=None, task_id=None, task=None, args=None, kwargs=None, **_: Any) -> None:
    """Bind the task's job (a Jobcast job attempt: its id is the first argument) to log records.

    The kind comes in the message's header; a message sent without it (an older sender, a
    hand-made one) costs a query."""
    if task is not None and task.name == JOB_TASK_NAME and args:
        kind = getattr(task.request, KIND_HEADER, None)
        if kind is None:
            kind = Job.objects.filter(pk=args[0]).values_list("kind", flat=True).first()
        logs.bind(job_id=str(args[0]), kind=kind, task_id=task_id)
    else:
        logs.bind(job_id=None, kind=None, task_id=task_id)


def task_postrun(**_: Any) -> None:
    """The task is over: its log records name no job any more (after apps.progress finished its job)."""
    logs.clear()


def job_duration(sender=None, job_id=None, kind=None, status=None, **times_sent: Any) -> None:
    """Observe started → finished of a job that reached a terminal status in this process.

    The times come with the signal (from the row the transition locked); a sender that leaves
    them out costs a look-up."""
    if "finished_at" in times_sent:
        times = (times_sent.get("started_at"), times_sent["finished_at"])
    else:
        times = Job.objects.filter(pk=job_id).values_list("started_at", "finished_at").first()
    if times and times[0] and times[1]:
        metrics.JOB_DURATION.labels(kind=kind, status=status).observe((times[1] - times[0]).total_seconds())


def setup_logging(**_: Any) -> None:
    """Celery (re)configured its loggers: put the job filter and format back on."""
    logs.install(settings.OPS_LOG_FORMAT)


def connect() -> None:
    celery_signals.task_prerun.connect(task_prerun, weak=False, dispatch_uid="ops.task_prerun")
    celery_signals.task_postrun.connect(task_postrun, weak=False, dispatch_uid="ops.task_postrun")
    celery_signals.after_setup_logger.connect(setup_logging, weak=False, dispatch_uid="ops.after_setup_logger")
    celery_signals.after_setup_task_logger.connect(setup_logging, weak=False, dispatch_uid="ops.after_setup_task_logger")
    job_finished.connect(job_duration, weak=False, dispatch_uid="ops.job_duration")
