"""The OpenAPI document describes the jobs API's answers field by field, and they keep to it."""
import json

import pytest
from rest_framework.test import APIClient

from apps.jobs import events, kinds, services
from apps.jobs.context import JobContext
from apps.jobs.execution import run_attempt
from apps.jobs.models import Job
from tests.response_schema import check, component, openapi, resolve, response_schema

pytestmark = pytest.mark.django_db

TICKER = {"steps": 3, "interval_ms": 0}


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def ticker_job(owner, **params) -> Job:
    return services.job_create(owner=owner, kind="jobs.ticker", params={**TICKER, **params})


def finished(job: Job) -> Job:
    """The ticker's real body run here, in this process, to its end."""
    assert run_attempt(str(job.pk), task_id=None).name in ("success", "failure")
    return Job.objects.get(pk=job.pk)


def test_the_schema_names_every_job_and_event_field():
    job, event = component("Job")["properties"], component("Event")["properties"]
    assert {"id", "kind", "status", "stage", "progress", "message", "params", "result", "error", "attempt",
            "priority", "queue", "task_id", "seq", "created_at", "started_at", "finished_at", "updated_at",
            "links"} <= set(job)
    assert set(event) == {"type", "job_id", "seq", "event", "status", "stage", "progress", "message", "data", "ts"}
    assert {"result", "error"}.isdisjoint(component("Job")["required"])  # only on success / failure


def test_job_json_has_exactly_the_documented_fields_with_their_types(alice):
    pending = ticker_job(alice)
    succeeded = finished(ticker_job(alice))
    failed = finished(ticker_job(alice, fail_at=2))
    client = client_for(alice)
    seen: set[str] = set()
    for job in (pending, succeeded, failed):
        body = client.get(f"/api/jobs/{job.pk}/").json()
        check(body, response_schema("/api/jobs/{job_id}/", "get", 200), exact=True)
        seen |= set(body)
    assert seen == set(component("Job")["properties"])  # nothing documented that no job carries
    assert "traceback" in client.get(f"/api/jobs/{failed.pk}/").json()["error"]


def test_a_tickers_result_is_the_documented_ticker_result(alice):
    job = finished(ticker_job(alice))
    result = client_for(alice).get(f"/api/jobs/{job.pk}/").json()["result"]
    check(result, component("TickerResult"), exact=True)
    assert "#/components/schemas/TickerResult" in json.dumps(component("Job")["properties"]["result"])


def test_list_create_cancel_and_retry_answer_their_documented_shapes(alice):
    client = client_for(alice)
    created = client.post("/api/jobs/", {"kind": "jobs.ticker", "params": TICKER}, format="json")
    assert created.status_code == 201
    check(created.json(), response_schema("/api/jobs/", "post", 201), exact=True)
    check(client.get("/api/jobs/").json(), response_schema("/api/jobs/", "get", 200))
    job_id = created.json()["id"]
    cancelled = client.post(f"/api/jobs/{job_id}/cancel/")
    check(cancelled.json(), response_schema("/api/jobs/{job_id}/cancel/", "post", 202), exact=True)
    again = client.post(f"/api/jobs/{job_id}/cancel/")
    assert again.status_code == 409
    check(again.json(), response_schema("/api/jobs/{job_id}/cancel/", "post", 409), exact=True)
    retried = client.post(f"/api/jobs/{job_id}/retry/")
    assert retried.status_code == 202 and retried.json()["attempt"] == 2
    check(retried.json(), response_schema("/api/jobs/{job_id}/retry/", "post", 202), exact=True)


def test_events_page_holds_documented_events_the_same_as_the_pushed_ones(alice):
    job = finished(ticker_job(alice))
    body = client_for(alice).get(f"/api/jobs/{job.pk}/events/").json()
    check(body, response_schema("/api/jobs/{job_id}/events/", "get", 200), exact=True)
    assert [e["event"] for e in body["events"]][:2] == ["pending", "started"] and body["events"][-1]["event"] == "success"
    event_schema = component("Event")
    for event in body["events"]:
        check(event, event_schema, exact=True)
    waiting = ticker_job(alice)
    pushed = events.record(waiting.pk, "log", message="queued", data={"reason": "test"})  # what the event path pushes
    check(pushed, event_schema, exact=True)
    assert client_for(alice).get(f"/api/jobs/{waiting.pk}/events/?after=1").json()["events"] == [pushed]


def test_a_live_context_events_data_stays_within_the_event_schema(alice):
    job = ticker_job(alice)
    events.record(job.pk, "started")
    ctx = JobContext(Job.objects.get(pk=job.pk), min_interval_ms=0)
    kinds.ticker(ctx, {"steps": 2, "interval_ms": 0, "fail_at": None, "mode": "sync"})
    ctx.close()
    for event in client_for(alice).get(f"/api/jobs/{job.pk}/events/").json()["events"]:
        check(event, component("Event"), exact=True)


def test_health_documents_each_part(alice):
    response = APIClient().get("/api/health/")
    check(response.json(), response_schema("/api/health/", "get", response.status_code), exact=True)
    assert set(response.json()) == set(resolve(response_schema("/api/health/", "get", 200))["properties"])


def test_no_answer_is_a_bare_object_without_fields():
    """Every JSON answer names its fields (a bare `type: object` documents nothing)."""
    bare = []
    for path, operations in openapi()["paths"].items():
        for method, operation in operations.items():
            for status, answer in operation.get("responses", {}).items():
                schema = answer.get("content", {}).get("application/json", {}).get("schema")
                if schema is not None and resolve(schema) == {"type": "object", "additionalProperties": {}}:
                    bare.append(f"{method.upper()} {path} {status}")
    assert not bare, bare
