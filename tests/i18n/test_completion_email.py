"""The completion e-mail is written in the language its job was submitted in (Django's locmem outbox)."""
from __future__ import annotations

import pytest
from django.core import mail
from rest_framework.test import APIClient

from apps.jobs import events, states
from apps.jobs.models import Job
from apps.notifications.services import job_email_compose, job_email_send

pytestmark = pytest.mark.django_db

TICKER = {"kind": "jobs.ticker", "params": {"steps": 1, "interval_ms": 0}, "notify": True}


@pytest.fixture
def submit(alice, settings):
    """POST a notify job as alice in `language`, finish it with `status`, send its e-mail."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    alice.email = "alice@example.com"
    alice.save()
    client = APIClient()
    client.force_authenticate(alice)

    def run(language: str, status: str = states.SUCCESS):
        response = client.post("/api/jobs/", TICKER, format="json", HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 201, response.content
        job_id = response.json()["id"]
        events.record(job_id, states.STARTED, message="started")
        if status == states.SUCCESS:
            events.record(job_id, states.SUCCESS, result={"steps": 1})
        else:
            events.record(job_id, states.FAILURE, error={"type": "Boom", "message": "it broke"}, message="it broke")
        assert job_email_send(job_id=job_id) is True
        return Job.objects.get(pk=job_id), mail.outbox[-1]
    return run


def test_a_job_submitted_in_chinese_mails_its_owner_in_chinese(submit):
    job, message = submit("zh-CN,zh;q=0.9")
    assert job.language == "zh-hans"
    assert message.subject == "[Jobcast] jobs.ticker 成功"
    assert message.body.startswith(f"您的任务“计步器”（jobs.ticker，{job.pk}）已结束。")  # the kind's title too
    assert "状态：成功" in message.body and "用时：" in message.body and f"/api/jobs/{job.pk}/" in message.body
    assert "Status:" not in message.body


def test_a_failure_in_chinese_says_so_with_the_error(submit):
    _job, message = submit("zh-hans", states.FAILURE)
    assert message.subject == "[Jobcast] jobs.ticker 失败" and "错误：it broke" in message.body


def test_a_job_submitted_in_english_mails_in_english(submit):
    job, message = submit("en-US,en;q=0.9")
    assert job.language == "en"
    assert message.subject == "[Jobcast] jobs.ticker success"
    assert message.body.startswith(f"Your job “Ticker” (jobs.ticker, {job.pk}) finished.") and "Status: success" in message.body and "状态" not in message.body


def test_a_job_no_request_created_mails_in_the_default_language(submit):
    job, _message = submit("zh-hans")
    Job.objects.filter(pk=job.pk).update(language="")  # e.g. a Django task enqueued from code
    subject, body = job_email_compose(Job.objects.get(pk=job.pk))
    assert subject == "[Jobcast] jobs.ticker success" and "Status: success" in body
