"""apps.ops' receivers: the job's kind on worker log lines, job durations as a metric.

Both take what they need from the message header and the `job_finished` signal (no query per
job: docs/benchmarks.md, issue 18) and still look it up when a sender leaves it out.
"""
from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone
from prometheus_client import REGISTRY

from apps.jobs import dispatch, events, services, states
from apps.jobs.models import Job
from apps.jobs.signals import job_finished
from apps.ops import logs, receivers

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(alice):
    return services.job_create(owner=alice, kind="jobs.ticker", params={"steps": 1, "interval_ms": 0, "fail_at": None})


def _bound() -> dict:
    return dict(logs._current.get() or {})


def _durations(kind: str, status: str) -> float:
    return REGISTRY.get_sample_value("jobcast_job_duration_seconds_count", {"kind": kind, "status": status}) or 0


def _task(request: dict) -> SimpleNamespace:
    return SimpleNamespace(name=dispatch.RUN_TASK, request=SimpleNamespace(**request))


def test_a_job_task_binds_its_kind_from_the_message_header(job, django_assert_num_queries):
    with django_assert_num_queries(0):
        receivers.task_prerun(task_id="t-1", task=_task({dispatch.KIND_HEADER: "jobs.ticker"}), args=[str(job.pk), 0])
    assert _bound() == {"job_id": str(job.pk), "job_kind": "jobs.ticker", "task_id": "t-1"}
    logs.clear()


def test_a_message_without_the_header_looks_the_kind_up(job, django_assert_num_queries):
    with django_assert_num_queries(1):
        receivers.task_prerun(task_id="t-2", task=_task({}), args=[str(job.pk), 0])
    assert _bound()["job_kind"] == "jobs.ticker"
    logs.clear()


def test_an_attempt_is_sent_with_its_kind_in_a_header(job, monkeypatch, settings):
    settings.CELERY_ENABLED = True
    sent = []
    monkeypatch.setattr(dispatch.current_app, "send_task", lambda name, **options: sent.append((name, options)))
    dispatch.send_attempt(job, "t-3")
    (name, options), = sent
    assert name == dispatch.RUN_TASK and options["headers"] == {dispatch.KIND_HEADER: "jobs.ticker"}


def test_job_finished_carries_the_finished_rows_notify_and_times(job, django_capture_on_commit_callbacks):
    seen = []

    def receiver(sender, **kwargs):
        seen.append(kwargs)

    job_finished.connect(receiver, dispatch_uid="test.carries")
    try:
        events.record(job.pk, states.STARTED, message="started")
        with django_capture_on_commit_callbacks(execute=True):
            events.record(job.pk, states.SUCCESS, result={})
    finally:
        job_finished.disconnect(dispatch_uid="test.carries")
    stored = Job.objects.get(pk=job.pk)
    (kwargs,) = seen
    assert (kwargs["job_id"], kwargs["status"], kwargs["notify"]) == (stored.pk, "success", False)
    assert (kwargs["started_at"], kwargs["finished_at"]) == (stored.started_at, stored.finished_at)


def test_a_finished_job_is_timed_from_the_signal_without_a_query(django_assert_num_queries):
    before = _durations("test.timed", "success")
    finished = timezone.now()
    with django_assert_num_queries(0):
        receivers.job_duration(job_id="x", kind="test.timed", status="success",
                               started_at=finished - timedelta(seconds=2), finished_at=finished, notify=False)
    assert _durations("test.timed", "success") == before + 1


def test_a_job_that_never_started_is_not_timed():
    before = _durations("test.timed", "failure")
    receivers.job_duration(job_id="x", kind="test.timed", status="failure", started_at=None,
                           finished_at=timezone.now())
    assert _durations("test.timed", "failure") == before


def test_a_sender_without_the_times_has_them_looked_up(job, django_assert_num_queries):
    events.record(job.pk, states.STARTED, message="started")
    events.record(job.pk, states.SUCCESS, result={})
    before = _durations("jobs.ticker", "success")
    with django_assert_num_queries(1):
        receivers.job_duration(job_id=job.pk, kind="jobs.ticker", status="success")
    assert _durations("jobs.ticker", "success") == before + 1
