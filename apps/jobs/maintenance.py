"""Housekeeping: fail jobs whose worker died, and drop old event logs."""
from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from apps.jobs import events, publisher, states
from apps.jobs.models import Event, Job

logger = logging.getLogger(__name__)


def reap_stuck_jobs(*, now=None) -> int:
    """Fail `started` jobs with no heartbeat for JOBS_HEARTBEAT_TIMEOUT_S; returns how many."""
    now = now or timezone.now()
    timeout = settings.JOBS_HEARTBEAT_TIMEOUT_S
    cutoff = now - timedelta(seconds=timeout)
    reaped = 0
    for job_id in Job.objects.filter(status=states.STARTED, heartbeat_at__lt=cutoff).values_list("pk", flat=True):
        message = (f"no heartbeat from the worker for over {timeout:g}s: the worker died or was "
                   f"killed (out of memory, hard time limit, or shut down) and the job was not redelivered")
        try:
            events.record(job_id, states.FAILURE, message=message,
                          error={"type": "WorkerLost", "message": message})
            reaped += 1
            logger.warning("reaped job %s: %s", job_id, message)
        except states.TransitionRefused:
            continue
    return reaped


def fail_killed_job(*, job_id: str, task_id: str, limit: float | None) -> None:
    """The worker killed the job's process at its hard time limit: record a clear failure."""
    job = Job.objects.filter(pk=job_id).only("task_id", "status").first()
    if job is None or job.task_id != task_id or job.status in states.TERMINAL:
        return
    message = f"hard time limit of {limit:g}s exceeded; the worker killed the job" if limit else \
        "hard time limit exceeded; the worker killed the job"
    try:
        events.record(job_id, states.FAILURE, message=message,
                      error={"type": "TimeLimitExceeded", "message": message})
    except states.TransitionRefused:
        pass
    publisher.flush()


def purge_old_events(*, now=None) -> int:
    """Delete events of jobs finished more than JOBS_EVENT_RETENTION_DAYS ago.

    The job rows stay (their final state is the snapshot); only the timeline goes.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.JOBS_EVENT_RETENTION_DAYS)
    deleted, _ = Event.objects.filter(job__finished_at__lt=cutoff).delete()
    return deleted
