"""One attempt, in-process: the events it records and the bookkeeping (job.state) written with them.

The step's mark is written with the event that starts it and cleared with the one that ends it
(no separate updates and re-reads: docs/benchmarks.md, issue 18); these tests pin what is stored.
"""
from __future__ import annotations

import pytest

from apps.jobs import execution, selectors, services, states
from apps.jobs.exceptions import JobRetry
from apps.jobs.kinds import TickerParams
from apps.jobs.models import Job
from apps.jobs.registry import _KINDS, JobKind, PipelineStep, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def kind():
    """Register a test kind for one test."""
    added: list[str] = []

    def add(name: str, **fields) -> JobKind:
        added.append(register(JobKind(name=name, title=name, params=TickerParams, **fields)).name)
        return _KINDS[name]
    yield add
    for name in added:
        _KINDS.pop(name, None)


def _ticker(alice, steps: int = 3, **params) -> Job:
    return services.job_create(owner=alice, kind="jobs.ticker",
                               params={"steps": steps, "interval_ms": 0, "fail_at": None, **params})


def _events(job: Job) -> list[str]:
    return [e.event for e in selectors.job_events_after(job.pk, 0)]


def _run(job: Job, step: int = 0) -> execution.Outcome:
    return execution.run_attempt(str(job.pk), task_id=Job.objects.get(pk=job.pk).task_id, step=step)


def test_an_attempt_marks_its_step_with_started_and_clears_it_with_success(alice, settings):
    settings.JOBS_PROGRESS_MIN_INTERVAL_MS = 0  # every progress call an event
    job = _ticker(alice)
    assert _run(job).name == "success"
    job.refresh_from_db()
    assert _events(job) == ["pending", "started", "stage", "progress", "progress", "progress", "success"]
    assert job.status == states.SUCCESS and job.state == {"running_step": None}
    assert job.result["steps"] == 3 and job.finished_at and job.started_at
    started = selectors.job_events_after(job.pk, 1)[0]
    assert started.data["step"] == 0 and ":" in started.data["worker"]


def test_a_failing_attempt_clears_its_mark_with_the_failure(alice):
    job = _ticker(alice, fail_at=2)
    assert _run(job).name == "failure"
    job.refresh_from_db()
    assert _events(job)[-1] == "failure" and job.state == {"running_step": None}
    assert "fail_at=2" in job.error["message"]


def test_a_redelivered_message_is_a_retry_of_a_new_attempt_then_runs(alice):
    job = _ticker(alice, steps=1)
    services.events.record(job.pk, states.STARTED, message="started")  # the worker that died
    Job.objects.filter(pk=job.pk).update(state={"running_step": 0})
    attempt = Job.objects.get(pk=job.pk).attempt
    assert _run(job).name == "success"
    job.refresh_from_db()
    assert _events(job) == ["pending", "started", "retry", "started", "stage", "progress", "success"]
    assert job.attempt == attempt + 1
    assert job.state == {"running_step": None, "redeliveries": 1}


def test_a_message_read_before_a_cancel_and_a_retry_does_not_start_the_new_attempt(alice, monkeypatch):
    job = _ticker(alice)
    stale = selectors.job_by_id(job.pk)  # what the worker read
    services.job_cancel(job=Job.objects.get(pk=job.pk))
    services.job_retry(job=Job.objects.get(pk=job.pk))  # a new attempt, pending again
    monkeypatch.setattr(execution.selectors, "job_by_id", lambda job_id: stale)
    assert execution.run_attempt(str(job.pk), task_id=stale.task_id).name == "refused"
    job.refresh_from_db()
    assert job.status == states.PENDING and _events(job)[-1] == "pending"


def test_a_retry_writes_its_count_with_the_retry_event_and_the_next_attempt_keeps_it(alice, kind):
    calls = []

    def flaky(ctx, params):
        calls.append(ctx.attempt)
        if len(calls) == 1:
            raise JobRetry("not yet", countdown=0)
        return {"ok": True}

    kind("test.flaky", run=flaky, max_retries=2)
    job = services.job_create(owner=alice, kind="test.flaky", params={"steps": 1, "interval_ms": 0})
    outcome = _run(job)
    assert (outcome.name, outcome.send_step, outcome.countdown) == ("retry", 0, 0)
    job.refresh_from_db()
    assert job.status == states.RETRY and job.state == {"running_step": None, "retries": 1}
    assert _run(job).name == "success"
    job.refresh_from_db()
    assert _events(job) == ["pending", "started", "retry", "started", "success"]
    assert job.state == {"running_step": None, "retries": 1} and calls == [1, 2]


def test_a_pipeline_marks_each_step_and_starts_once(alice, kind):
    kind("test.two_steps", pipeline=(PipelineStep("first", lambda ctx, params, outputs: {"n": 1}),
                                     PipelineStep("second", lambda ctx, params, outputs: outputs["first"]["n"] + 1)))
    job = services.job_create(owner=alice, kind="test.two_steps", params={"steps": 1, "interval_ms": 0})
    outcome = _run(job)
    assert (outcome.name, outcome.send_step) == ("next_step", 1)
    job.refresh_from_db()
    assert job.status == states.STARTED
    assert job.state == {"running_step": None, "step": 1, "outputs": {"first": {"n": 1}}, "retries": 0}
    assert _run(job, step=1).name == "success"
    job.refresh_from_db()
    assert _events(job) == ["pending", "started", "success"] and job.result == 2
    assert job.state == {"running_step": None, "step": 1, "outputs": {"first": {"n": 1}}, "retries": 0}


def test_the_worker_stores_no_celery_result_for_an_attempt(alice):
    """The job row and its events are the outcome; django-db got two writes per attempt for nothing."""
    from celery import current_app
    from celery.app.trace import build_tracer
    from django_celery_results.models import TaskResult

    from apps.jobs.tasks import run_job

    job = _ticker(alice, steps=1)
    task = current_app.tasks[run_job.name]
    trace = build_tracer(task.name, task, app=current_app, eager=False)  # as a worker runs it
    request = {"id": job.task_id, "task": task.name, "args": [str(job.pk), 0], "kwargs": {},
               "delivery_info": {"exchange": "", "routing_key": "jobs", "priority": 4, "redelivered": False}}
    trace(job.task_id, [str(job.pk), 0], {}, request)
    assert Job.objects.get(pk=job.pk).status == states.SUCCESS
    assert not TaskResult.objects.filter(task_id=job.task_id).exists()
