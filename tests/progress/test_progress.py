"""celery-progress's JSON for each job state, the polling view's ownership, and the ProgressRecorder."""
from __future__ import annotations

import uuid

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.jobs import events, states
from apps.jobs.models import Job
from apps.progress.payloads import task_payload
from apps.progress.recorder import ProgressRecorder
from apps.progress.tasks import progress_demo
from project.celery import app

pytestmark = pytest.mark.django_db(transaction=True)

DONE = {"pending": False, "current": 100, "total": 100, "percent": 100}


def make_job(owner, *steps) -> Job:
    job = Job.objects.create(owner=owner, kind="jobs.ticker", params={}, task_id=str(uuid.uuid4()))
    events.record(job.pk, states.PENDING)
    for event, fields in steps:
        events.record(job.pk, event, **fields)
    return Job.objects.get(pk=job.pk)


def test_pending_and_started_without_progress_look_like_celery_progress(alice):
    assert task_payload(make_job(alice)) == {"state": "PENDING", "complete": False, "success": None,
                                             "progress": {"pending": True, "current": 0, "total": 100, "percent": 0}}
    started = make_job(alice, (states.STARTED, {}))
    assert task_payload(started) == {"state": "STARTED", "complete": False, "success": None,
                                     "progress": {"pending": False, "current": 0, "total": 100, "percent": 0}}


def test_progress_carries_current_total_percent_and_description(alice):
    job = make_job(alice, (states.STARTED, {}),
                   (states.PROGRESS, {"progress": 100 / 3, "message": "row 1", "data": {"current": 1, "total": 3}}))
    assert task_payload(job) == {"state": "PROGRESS", "complete": False, "success": None,
                                 "progress": {"pending": False, "current": 1, "total": 3, "percent": 33.33,
                                              "description": "row 1"}}
    bare = make_job(alice, (states.STARTED, {}), (states.PROGRESS, {"progress": 40.0}))
    assert task_payload(bare)["progress"] == {"pending": False, "current": 40.0, "total": 100, "percent": 40.0,
                                              "description": ""}


def test_terminal_and_retry_states(alice):
    ok = make_job(alice, (states.STARTED, {}), (states.SUCCESS, {"result": {"n": 3}}))
    assert task_payload(ok) == {"state": "SUCCESS", "complete": True, "success": True, "progress": DONE,
                                "result": {"n": 3}}
    bad = make_job(alice, (states.STARTED, {}),
                   (states.FAILURE, {"message": "boom", "error": {"type": "ValueError", "message": "boom"}}))
    assert task_payload(bad) == {"state": "FAILURE", "complete": True, "success": False, "progress": DONE,
                                 "result": "boom"}
    gone = make_job(alice, (states.REVOKED, {"message": "cancelled"}))
    assert task_payload(gone) == {"state": "REVOKED", "complete": True, "success": False, "progress": DONE,
                                  "result": "Task revoked"}
    again = make_job(alice, (states.STARTED, {}),
                     (states.RETRY, {"message": "retry 1 of 3 in 8s: timeout", "data": {"countdown": 8}}))
    assert task_payload(again) == {"state": "RETRY", "complete": True, "success": False, "progress": DONE,
                                   "result": {"next_retry_seconds": 8,
                                              "message": "retry 1 of 3 in 8s: timeout..."}}


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def test_view_answers_owner_and_staff_hides_others_and_refuses_anonymous(alice, bob, staff):
    job = make_job(alice, (states.STARTED, {}))
    url = f"/celery-progress/{job.task_id}/"
    assert client_for(alice).get(url).json()["state"] == "STARTED"
    assert client_for(staff).get(url).status_code == 200
    assert client_for(bob).get(url).status_code == 404
    assert APIClient().get(url).status_code in (401, 403)
    unknown = client_for(bob).get(f"/celery-progress/{uuid.uuid4()}/")
    assert unknown.status_code == 200 and unknown.json()["state"] == "PENDING"
    assert unknown["Cache-Control"].startswith("max-age=0")


def test_recorder_adopts_the_task_as_a_job_and_its_outcome_finishes_it(alice, bob):
    result = progress_demo.apply(kwargs={"steps": 3, "interval_ms": 0, "user_id": alice.pk})
    job = Job.objects.get(task_id=result.id)
    assert (job.kind, job.owner_id, job.status, job.result) == ("ops.celery_task", alice.pk, "success", "counted to 3")
    assert job.params == {"task": "ops.progress_demo", "args": [],
                          "kwargs": {"steps": 3, "interval_ms": 0, "user_id": alice.pk}}
    assert [e.event for e in job.events.order_by("seq")][:2] == ["pending", "started"]
    failed = progress_demo.apply(kwargs={"steps": 3, "interval_ms": 0, "fail_at": 2})
    job = Job.objects.get(task_id=failed.id)
    assert job.status == "failure" and job.error == {"type": "DemoFailure", "message": "failed at step 2 as asked"}
    assert job.owner.username == "celery-progress" and not job.owner.has_usable_password()
    assert client_for(bob).get(f"/celery-progress/{failed.id}/").status_code == 404


def test_recorder_api_matches_celery_progress(alice):
    seen = {}

    @app.task(bind=True, name="ops.tests.probe")
    def probe(self):
        recorder = ProgressRecorder(self)
        seen["set"] = recorder.set_progress(1, 4, "one")
        seen["inc"] = recorder.increment_progress(description="two")

    probe.apply()
    assert seen["set"] == ("PROGRESS", {"pending": False, "current": 1, "total": 4, "percent": 25.0,
                                        "description": "one"})
    assert seen["inc"][1]["current"] == 2 and seen["inc"][1]["percent"] == 50.0


def test_submitting_the_adopted_kind_is_refused(alice):
    r = client_for(alice).post("/api/jobs/", {"kind": "ops.celery_task", "params": {"task": "x"}}, format="json")
    assert r.status_code == 400 and "task" in r.json()["params"]
