"""Completion e-mails: status, duration and link, sent once, retried on SMTP errors (locmem backend)."""
import pytest
from django.core import mail
from django.test import override_settings

from apps.jobs import events, states
from apps.jobs.models import Job
from apps.notifications.models import JobEmail
from apps.notifications.receivers import on_job_finished
from apps.notifications.services import job_email_send
from apps.notifications.tasks import send_job_email
from tests.notifications.email_backends import FlakySMTPBackend

pytestmark = pytest.mark.django_db
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def finished(started, alice):
    alice.email = "alice@example.com"
    alice.save()

    def make(status=states.SUCCESS, notify=True):
        job, _ = started("jobs.ticker", {"steps": 1, "interval_ms": 0, "fail_at": None}, notify=notify)
        if status == states.SUCCESS:
            events.record(job.pk, states.SUCCESS, result={"files": [{"name": "a.png", "url": "/api/media/files/x/a.png"}]})
        else:
            events.record(job.pk, states.FAILURE, error={"type": "Boom", "message": "it broke"}, message="it broke")
        return Job.objects.get(pk=job.pk)
    return make


@override_settings(EMAIL_BACKEND=LOCMEM)
def test_email_has_status_duration_and_link(finished):
    job = finished()
    assert job_email_send(job_id=job.pk) is True
    (message,) = mail.outbox
    assert message.to == ["alice@example.com"] and "success" in message.subject
    assert "Status: success" in message.body and "Duration: " in message.body
    assert f"/api/jobs/{job.pk}/" in message.body and "/api/media/files/x/a.png" in message.body
    assert job_email_send(job_id=job.pk) is False  # sent once only
    assert len(mail.outbox) == 1 and JobEmail.objects.get(job=job).status == "success"


@override_settings(EMAIL_BACKEND=LOCMEM)
def test_failure_email_carries_the_error(finished):
    job = finished(status=states.FAILURE)
    job_email_send(job_id=job.pk)
    assert "failure" in mail.outbox[0].subject and "it broke" in mail.outbox[0].body


@override_settings(EMAIL_BACKEND=LOCMEM, CELERY_ENABLED=False)
def test_job_finished_signal_sends_only_when_notify_was_asked(finished):
    quiet = finished(notify=False)
    on_job_finished(Job, job_id=quiet.pk, kind=quiet.kind, status=quiet.status, owner_id=quiet.owner_id)
    assert mail.outbox == []
    loud = finished()
    on_job_finished(Job, job_id=loud.pk, kind=loud.kind, status=loud.status, owner_id=loud.owner_id)
    assert len(mail.outbox) == 1


def test_owner_without_address_gets_no_email(started):
    job, _ = started("jobs.ticker", {"steps": 1, "interval_ms": 0, "fail_at": None}, notify=True)
    events.record(job.pk, states.SUCCESS, result={})
    with override_settings(EMAIL_BACKEND=LOCMEM):
        assert job_email_send(job_id=job.pk) is False


@override_settings(EMAIL_BACKEND="tests.notifications.email_backends.FlakySMTPBackend")
def test_task_retries_on_smtp_errors(finished, settings):
    settings.MEDIA_EMAIL_RETRY_BACKOFF_S = 0.0
    FlakySMTPBackend.failures_left = 2
    job = finished()
    result = send_job_email.apply(args=[str(job.pk)])
    assert result.get() is True
    assert FlakySMTPBackend.failures_left == 0 and len(mail.outbox) == 1


def test_the_receiver_reads_nothing_for_a_job_that_did_not_ask(django_assert_num_queries):
    # job_finished carries `notify` from the finished row: no query for (almost) every job.
    with django_assert_num_queries(0):
        on_job_finished(Job, job_id="00000000-0000-0000-0000-000000000000", kind="jobs.ticker",
                        status="success", owner_id=1, notify=False)


@override_settings(EMAIL_BACKEND=LOCMEM, CELERY_ENABLED=False, JOBS_PROGRESS_MIN_INTERVAL_MS=0)
@pytest.mark.parametrize("notify", [True, False])
def test_a_job_finished_by_its_attempt_is_emailed_if_it_asked(alice, notify, django_capture_on_commit_callbacks):
    from apps.jobs.execution import run_attempt
    from apps.jobs.services import job_create

    alice.email = "alice@example.com"
    alice.save()
    job = job_create(owner=alice, kind="jobs.ticker", params={"steps": 2, "interval_ms": 0, "fail_at": None},
                     notify=notify)
    with django_capture_on_commit_callbacks(execute=True):
        assert run_attempt(str(job.pk), task_id=job.task_id).name == "success"
    assert len(mail.outbox) == (1 if notify else 0)
    if notify:
        assert "success" in mail.outbox[0].subject and JobEmail.objects.get(job=job).status == "success"
