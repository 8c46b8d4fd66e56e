"""The visual-analysis answers and `vision.analyze`'s job result keep to the OpenAPI document."""
import pytest
from rest_framework.test import APIClient

from apps.jobs import events
from apps.jobs.context import JobContext
from apps.jobs.models import Job
from apps.vision.kinds import analyze
from tests.response_schema import check, component, response_schema
from tests.vision.factories import b64, encode, textured

pytestmark = pytest.mark.django_db

COMPREHENSIVE, STATUS = "/api/visual-analysis/comprehensive/", "/api/visual-analysis/task/{task_id}/status/"


@pytest.fixture
def client(alice) -> APIClient:
    api = APIClient()
    api.force_authenticate(alice)
    return api


def test_start_status_and_refusals_answer_their_documented_shapes(client):
    started = client.post(COMPREHENSIVE, {"image_data": b64(encode(textured(), "JPEG"))}, format="json")
    assert started.status_code == 202
    check(started.json(), response_schema(COMPREHENSIVE, "post", 202), exact=True)
    status = client.get(f"/api/visual-analysis/task/{started.json()['task_id']}/status/")
    check(status.json(), response_schema(STATUS, "get", 200), exact=True)
    refused = client.post(COMPREHENSIVE, {"image_data": "not base64 at all!"}, format="json")
    assert refused.status_code == 400
    check(refused.json(), response_schema(COMPREHENSIVE, "post", 400))
    missing = client.get("/api/visual-analysis/task/00000000-0000-0000-0000-000000000000/status/")
    assert missing.status_code == 404
    check(missing.json(), response_schema(STATUS, "get", 404), exact=True)


def test_a_finished_analysis_is_the_documented_result(client):
    task_id = client.post(COMPREHENSIVE, {"image_data": b64(encode(textured(), "PNG"))},
                          format="json").json()["task_id"]
    job = Job.objects.get(pk=task_id)
    events.record(job.pk, "started")
    result = analyze(JobContext(Job.objects.get(pk=job.pk), min_interval_ms=0), job.params)
    events.record(job.pk, "success", result=result)
    status = client.get(f"/api/visual-analysis/task/{task_id}/status/").json()
    check(status, response_schema(STATUS, "get", 200), exact=True)
    check(status["result"], component("VisionAnalysisResult"), exact=True)
    check(client.get(f"/api/jobs/{task_id}/").json(), response_schema("/api/jobs/{job_id}/", "get", 200), exact=True)
