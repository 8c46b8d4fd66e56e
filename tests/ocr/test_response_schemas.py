"""The OCR endpoints' answers and `ocr.extract`'s job result keep to the OpenAPI document."""
import pytest
from rest_framework.test import APIClient

from apps.jobs import events
from apps.jobs.context import JobContext
from apps.jobs.models import Job
from apps.ocr import pipeline, services
from tests.response_schema import check, component, response_schema

pytestmark = pytest.mark.django_db

DOCUMENT, STATUS = "/api/ocr/documents/{document_id}/", "/api/ocr/documents/{document_id}/status/"
RETRY = "/api/ocr/documents/{document_id}/retry/"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def extracted(owner, text: str):
    """A document run through the three real steps, its job ended with the pipeline's result."""
    document = services.ocr_document_save(owner=owner, file_name="p.pdf", ocr_content=text)
    events.record(document.job_id, "started")
    ctx = JobContext(Job.objects.get(pk=document.job_id), min_interval_ms=0)
    outputs = {"extract_basic_info": pipeline.extract_basic_info(ctx, document.job.params, {})}
    outputs["extract_table"] = pipeline.extract_table(ctx, document.job.params, outputs)
    result = pipeline.extract_summary(ctx, document.job.params, outputs)
    events.record(document.job_id, "success", result=result)
    return document


def test_save_and_its_refusal_answer_their_documented_shapes(alice, en):
    client = client_for(alice)
    saved = client.post("/api/ocr/save/", {"file_name": "x", "ocr_content": en}, format="json")
    check(saved.json(), response_schema("/api/ocr/save/", "post", 200), exact=True)
    refused = client.post("/api/ocr/save/", {"file_name": "x", "ocr_content": ""}, format="json")
    assert refused.status_code == 400
    check(refused.json(), response_schema("/api/ocr/save/", "post", 400))
    assert set(refused.json()) == {"status", "message", "errors"} and "ocr_content" in refused.json()["errors"]


@pytest.mark.parametrize("text", ["zh_hant", "en"])
def test_an_extracted_document_its_status_and_the_list_keep_to_the_schema(alice, text, request):
    document = extracted(alice, request.getfixturevalue(text))
    client = client_for(alice)
    detail = client.get(f"/api/ocr/documents/{document.pk}/").json()
    check(detail, response_schema(DOCUMENT, "get", 200), exact=True)
    check(detail["data"], component("OcrDocument"), exact=True)
    for part, name in (("basic_info", "OcrBasicInfo"), ("summary", "OcrSummary"), ("table_data", "OcrTable")):
        check(detail["data"][part], component(name), exact=name != "OcrTable")  # the table may grow keys
    check(client.get(f"/api/ocr/documents/{document.pk}/status/").json(), response_schema(STATUS, "get", 200),
          exact=True)
    listed = client.get("/api/ocr/documents/").json()
    check(listed, response_schema("/api/ocr/documents/", "get", 200), exact=True)
    assert "table_data" not in listed["data"][0]


def test_the_jobs_result_is_the_documented_extraction_result(alice, zh_hans):
    document = extracted(alice, zh_hans)
    job = client_for(alice).get(f"/api/jobs/{document.job_id}/").json()
    check(job, response_schema("/api/jobs/{job_id}/", "get", 200), exact=True)
    check(job["result"], component("OcrExtractResult"), exact=True)


def test_retry_refusal_and_unknown_document_answer_the_old_error_shape(alice, en):
    document = extracted(alice, en)
    client = client_for(alice)
    refused = client.post(f"/api/ocr/documents/{document.pk}/retry/")
    assert refused.status_code == 409
    check(refused.json(), response_schema(RETRY, "post", 409), exact=True)
    missing = client.get("/api/ocr/documents/999999/status/")
    assert missing.status_code == 404
    check(missing.json(), response_schema(STATUS, "get", 404))
    assert missing.json() == {"status": "error", "message": "no such document"}
    unroutable = client.get("/api/ocr/documents/-1/status/")  # no such path: the project's 404
    assert unroutable.status_code == 404
    check(unroutable.json(), response_schema(STATUS, "get", 404))
    assert set(unroutable.json()) == {"detail"}
