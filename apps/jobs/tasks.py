"""Celery tasks: thin wrappers that take ids and call plain functions."""
from __future__ import annotations

from typing import Any

from celery import Task, shared_task
from celery.exceptions import TimeLimitExceeded

from apps.jobs import dispatch, maintenance
from apps.jobs.execution import run_attempt


class JobTask(Task):
    """Runs a job attempt; on a hard time limit (the pool process was killed) fails the job."""

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        # Celery calls this in the worker's main process when it kills a child for exceeding
        # its hard limit; the child could not report anything itself.
        if isinstance(exc, TimeLimitExceeded) and args:
            maintenance.fail_killed_job(job_id=args[0], task_id=task_id, limit=exc.args[0] if exc.args else None)


# ignore_result: nothing reads a `jobs.run` result (the job row and its events are the outcome,
# for the API, the Tasks backend and celery-progress alike); storing it in django-db was two
# writes per attempt, track_started's and the return value's (docs/benchmarks.md, issue 18).
@shared_task(base=JobTask, name=dispatch.RUN_TASK, bind=True, ignore_result=True)
def run_job(self, job_id: str, step: int = 0) -> dict[str, Any]:
    """Execute one attempt (or pipeline step) of a job, then send what it asks for next."""
    outcome = run_attempt(job_id, task_id=self.request.id, step=step)
    dispatch.follow_up(job_id, outcome)
    return {"job_id": job_id, "step": step, "outcome": outcome.name}


@shared_task(name="jobs.reap_stuck_jobs")
def reap_stuck_jobs() -> int:
    """Fail started jobs whose worker stopped sending heartbeats (django-celery-beat)."""
    return maintenance.reap_stuck_jobs()


@shared_task(name="jobs.purge_old_events")
def purge_old_events() -> int:
    """Delete the event logs of jobs finished longer ago than the retention (django-celery-beat)."""
    return maintenance.purge_old_events()
