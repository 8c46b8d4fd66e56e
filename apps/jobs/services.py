"""Use cases that change jobs: create, cancel, retry, and finishing a deferred job.

Views, consumers, tasks and admin call these; the rules live here and in `states`.
"""
from __future__ import annotations

import logging
import uuid
from datetime import datetime
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language, gettext

from apps.jobs import events, registry, selectors, states
from apps.jobs.dispatch import dispatch, new_task_id, send_attempt
from apps.jobs.job_insert import JobInsert
from apps.jobs.messages import event_message, with_i18n
from apps.jobs.models import Job

logger = logging.getLogger(__name__)


class JobConflict(Exception):
    """The job's status does not allow the action (e.g. cancelling a finished job)."""


def job_create(*, owner, kind: str, params: dict[str, Any], priority: int = 5, notify: bool = False,
               queue: str | None = None, start_at: datetime | None = None) -> Job:
    """Create a pending job (its `pending` event is seq 1) and send it once the row is committed.

    `params` must already be validated by the kind's serializer. `queue` (kinds with
    `per_job_queue` only) overrides the kind's; `start_at` delays the start (the job stays
    pending meanwhile, its planned time in the pending event's message and data).
    """
    job_kind = registry.get(kind)
    if queue is not None and not job_kind.per_job_queue:
        raise ValueError(f"kind {kind!r} runs on its own queue {job_kind.queue!r}; it takes no queue=")
    queue = queue or job_kind.queue
    queued, data = event_message("queued"), {"queue": queue}
    if start_at is not None:
        planned = events.format_ts(start_at)
        queued, data = event_message("queued; starts at %(run_after)s", run_after=planned), {**data, "run_after": planned}
    with transaction.atomic():
        # The first attempt's task id goes in with the row: dispatch's re-read and update were
        # a fifth of a POST's CPU (docs/benchmarks.md, "HTTP cost"). It is sent only on commit.
        # A prepared INSERT, not Job.objects.create: its compilation was 12% of a POST (job_insert).
        with JobInsert() as db:
            job = db.insert_job(owner=owner, kind=kind, params=params, priority=priority, queue=queue,
                                notify=notify, task_id=new_task_id(), language=get_language() or "")
        events.record(job.pk, states.PENDING, message=queued, data=with_i18n(queued, data))
        transaction.on_commit(lambda: send_attempt(job, job.task_id, countdown=_seconds_until(start_at)))
    return selectors.job_by_id(job.pk)  # re-read without refresh_from_db's ORM compilation


def _seconds_until(moment: datetime | None) -> float | None:
    """Countdown for a delayed start, measured when the job is sent (after commit)."""
    if moment is None:
        return None
    return max(0.0, (moment - timezone.now()).total_seconds()) or None


def job_cancel(*, job: Job) -> Job:
    """Revoke a job: a pending one never starts, a started one stops at its next report."""
    try:
        cancelled = event_message("cancelled")
        events.record(job.pk, states.REVOKED, message=cancelled, data=with_i18n(cancelled, {}))
    except states.TransitionRefused:
        raise JobConflict(gettext("job is already %(status)s") % {"status": Job.objects.get(pk=job.pk).status}) from None
    job.refresh_from_db()
    if settings.CELERY_ENABLED and job.task_id:
        # Best effort: lets a worker that has not started it discard the message. Correctness
        # does not depend on it (the runner re-checks the status on start).
        try:
            current_app.control.revoke(job.task_id)
        except Exception as exc:
            logger.info("revoke broadcast for %s failed: %s", job.pk, exc)
    return job


def job_retry(*, job: Job) -> Job:
    """Start a new attempt of a failed or cancelled job; a pipeline resumes at the failed step."""
    if job.status not in states.RETRYABLE:
        raise JobConflict(gettext("only failed or cancelled jobs can be retried; this one is %(status)s")
                          % {"status": job.status})
    with transaction.atomic():
        try:
            requested = event_message("retry requested")
            events.record(job.pk, states.PENDING, message=requested,
                          data=with_i18n(requested, {"manual_retry": True}))
        except states.TransitionRefused:
            raise JobConflict(gettext("only failed or cancelled jobs can be retried; this one is %(status)s")
                          % {"status": job.status}) from None
        locked = Job.objects.select_for_update().only("state").get(pk=job.pk)
        state = dict(locked.state or {})
        step = state.get("step", 0)
        state.update(running_step=None, retries=0, redeliveries=0)
        Job.objects.filter(pk=job.pk).update(state=state)
        transaction.on_commit(lambda: dispatch(job.pk, step=step))
    job.refresh_from_db()
    return job


def job_succeed(*, job_id: uuid.UUID | str, result: Any, message: str = "done") -> None:
    """Finish a deferred job (e.g. a provider delivered) with its result."""
    events.record(job_id, states.SUCCESS, result=result, message=message)


def job_fail(*, job_id: uuid.UUID | str, error_type: str, message: str) -> None:
    """Fail a deferred job with a clear error."""
    events.record(job_id, states.FAILURE, message=message, error={"type": error_type, "message": message})


def job_report(*, job_id: uuid.UUID | str, event: str, **fields: Any) -> dict[str, Any]:
    """Record a stage/progress/log event for a job that runs outside a body (deferred jobs)."""
    if event not in (states.STAGE, states.PROGRESS, states.LOG):
        raise ValueError(f"job_report only takes stage, progress or log, not {event!r}")
    return events.record(job_id, event, **fields)
