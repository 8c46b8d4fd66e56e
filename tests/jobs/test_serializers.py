"""The create request and the Job/Event wire shapes."""
import pytest

from apps.jobs import services
from apps.jobs.serializers import JobCreateSerializer, job_payload

pytestmark = pytest.mark.django_db


def errors(data):
    s = JobCreateSerializer(data=data)
    assert not s.is_valid()
    return s.errors


def test_valid_request_fills_defaults():
    s = JobCreateSerializer(data={"kind": "jobs.ticker", "params": {"steps": 3}})
    assert s.is_valid(), s.errors
    assert s.validated_data == {"kind": "jobs.ticker", "params": {"steps": 3, "interval_ms": 100, "fail_at": None, "mode": "sync"},
                                "priority": 5, "notify": False}


def test_errors_name_the_field():
    assert "kind" in errors({"kind": "nope", "params": {}})
    assert "steps" in errors({"kind": "jobs.ticker", "params": {"steps": 0}})["params"]
    assert "colour" in errors({"kind": "jobs.ticker", "params": {"colour": "red"}})["params"]
    assert "priority" in errors({"kind": "jobs.ticker", "priority": 10})
    assert "extra" in errors({"kind": "jobs.ticker", "extra": 1})


def test_job_payload_has_the_contract_fields(alice, django_capture_on_commit_callbacks):
    job = services.job_create(owner=alice, kind="jobs.ticker", params={"steps": 1, "interval_ms": 0})
    data = job_payload(job)
    for key in ("id", "kind", "status", "stage", "progress", "message", "params", "attempt", "priority", "queue",
                "task_id", "seq", "created_at", "started_at", "finished_at", "updated_at", "links"):
        assert key in data
    assert "result" not in data and "error" not in data
    assert data["links"] == {"self": f"/api/jobs/{job.id}/", "events": f"/api/jobs/{job.id}/events/",
                             "ws": f"/ws/jobs/{job.id}/"}
    assert data["seq"] == 1 and data["status"] == "pending"


def test_large_params_are_elided_from_the_payload(alice):
    from apps.jobs.models import Job

    job = Job.objects.create(owner=alice, kind="jobs.ticker", params={"image_data": "A" * 100_000, "n": 3})
    assert job_payload(job)["params"] == {"image_data": "<100000 characters elided>", "n": 3}
    assert len(Job.objects.get(pk=job.pk).params["image_data"]) == 100_000


def test_retry_of_a_pending_job_is_a_conflict(alice):
    job = services.job_create(owner=alice, kind="jobs.ticker", params={"steps": 1, "interval_ms": 0})
    with pytest.raises(services.JobConflict):
        services.job_retry(job=job)
    assert job.events.count() == 1
