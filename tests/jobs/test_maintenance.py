"""Housekeeping: the reaper fails jobs whose worker vanished; retention drops old timelines only."""
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.jobs import events, maintenance, states
from apps.jobs.models import Event, Job

pytestmark = pytest.mark.django_db(transaction=True)


def started_job(owner, *, heartbeat_age_s: float) -> Job:
    job = Job.objects.create(owner=owner, kind="jobs.ticker", params={})
    events.record(job.pk, states.PENDING)
    events.record(job.pk, states.STARTED)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(seconds=heartbeat_age_s))
    return Job.objects.get(pk=job.pk)


def test_reaper_fails_only_started_jobs_whose_heartbeat_stopped(alice, settings):
    settings.JOBS_HEARTBEAT_TIMEOUT_S = 30
    silent = started_job(alice, heartbeat_age_s=120)
    alive = started_job(alice, heartbeat_age_s=5)
    assert maintenance.reap_stuck_jobs() == 1
    silent.refresh_from_db()
    alive.refresh_from_db()
    assert silent.status == "failure" and alive.status == "started"
    assert silent.error["type"] == "WorkerLost"
    assert "no heartbeat from the worker for over 30s" in silent.message
    last = Event.objects.filter(job=silent).order_by("-seq").first()
    assert (last.event, last.seq) == ("failure", silent.seq)
    # A second pass finds nothing more to do: the failed job is terminal.
    assert maintenance.reap_stuck_jobs() == 0


def test_hard_limit_hook_fails_the_job_once_and_ignores_a_stale_task(alice):
    job = started_job(alice, heartbeat_age_s=0)
    Job.objects.filter(pk=job.pk).update(task_id="task-2")
    maintenance.fail_killed_job(job_id=str(job.pk), task_id="task-1", limit=10)  # an older attempt's task
    job.refresh_from_db()
    assert job.status == "started"
    maintenance.fail_killed_job(job_id=str(job.pk), task_id="task-2", limit=10)
    maintenance.fail_killed_job(job_id=str(job.pk), task_id="task-2", limit=10)
    job.refresh_from_db()
    assert job.status == "failure"
    assert job.error == {"type": "TimeLimitExceeded", "message": "hard time limit of 10s exceeded; the worker killed the job"}
    assert Event.objects.filter(job=job, event="failure").count() == 1


def test_retention_drops_old_timelines_but_keeps_the_jobs(alice, settings):
    settings.JOBS_EVENT_RETENTION_DAYS = 30
    old = started_job(alice, heartbeat_age_s=0)
    events.record(old.pk, states.SUCCESS, result={"ok": True})
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=31))
    recent = started_job(alice, heartbeat_age_s=0)
    events.record(recent.pk, states.SUCCESS, result={"ok": True})
    running = started_job(alice, heartbeat_age_s=0)
    assert maintenance.purge_old_events() == 3
    assert not Event.objects.filter(job=old).exists()
    assert Event.objects.filter(job=recent).count() == 3
    assert Event.objects.filter(job=running).count() == 2
    old.refresh_from_db()
    assert old.status == "success" and old.result == {"ok": True}
