"""celery-progress's polling answers keep to the OpenAPI document in every job state."""
from __future__ import annotations

import uuid

import pytest
from rest_framework.test import APIClient

from apps.jobs import events, states
from apps.jobs.models import Job
from tests.response_schema import check, response_schema

pytestmark = pytest.mark.django_db

PROGRESS = "/celery-progress/{task_id}/"


def make_job(owner, *steps) -> Job:
    job = Job.objects.create(owner=owner, kind="jobs.ticker", params={}, task_id=str(uuid.uuid4()))
    events.record(job.pk, states.PENDING)
    for event, fields in steps:
        events.record(job.pk, event, **fields)
    return job


def test_every_state_and_an_unknown_task_answer_the_documented_shape(alice, bob):
    jobs = [
        make_job(alice),
        make_job(alice, (states.STARTED, {})),
        make_job(alice, (states.STARTED, {}), (states.PROGRESS, {"progress": 40.0, "message": "row 2",
                                                                 "data": {"current": 2, "total": 5}})),
        make_job(alice, (states.STARTED, {}), (states.SUCCESS, {"result": {"n": 3}})),
        make_job(alice, (states.STARTED, {}), (states.FAILURE, {"message": "boom",
                                                                "error": {"type": "ValueError", "message": "boom"}})),
        make_job(alice, (states.REVOKED, {"message": "cancelled"})),
        make_job(alice, (states.STARTED, {}), (states.RETRY, {"message": "retry in 8s", "data": {"countdown": 8}})),
    ]
    client = APIClient()
    client.force_authenticate(alice)
    states_seen = []
    for job in jobs:
        answer = client.get(f"/celery-progress/{job.task_id}/").json()
        check(answer, response_schema(PROGRESS, "get", 200), exact=True)
        states_seen.append(answer["state"])
    assert states_seen == ["PENDING", "STARTED", "PROGRESS", "SUCCESS", "FAILURE", "REVOKED", "RETRY"]
    check(client.get(f"/celery-progress/{uuid.uuid4()}/").json(), response_schema(PROGRESS, "get", 200), exact=True)
    other = APIClient()
    other.force_authenticate(bob)
    hidden = other.get(f"/celery-progress/{jobs[0].task_id}/")
    assert hidden.status_code == 404
    check(hidden.json(), response_schema(PROGRESS, "get", 404), exact=True)
