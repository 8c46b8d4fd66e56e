"""The OCR endpoints: shapes the old pages rely on, ownership, and bad input refused by field."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from apps.jobs.models import Job
from apps.ocr.models import OcrDocument
from tests.ocr.pdf_factory import make_pdf

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def save(user, **body):
    return client_for(user).post("/api/ocr/save/", body, format="json")


def test_save_answers_the_old_shape_and_starts_the_job(alice, zh_hant):
    response = save(alice, file_name="保險計劃書.pdf", ocr_content=zh_hant)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "success" and isinstance(body["document_id"], int)
    document = OcrDocument.objects.get(pk=body["document_id"])
    assert (document.owner, document.file_name, document.ocr_content, document.source) == (
        alice, "保險計劃書.pdf", zh_hant, "text")
    job = Job.objects.get(pk=body["job_id"])
    assert (job.kind, job.owner, job.queue, job.params) == ("ocr.extract", alice, "ocr",
                                                            {"document_id": document.pk})


def test_status_shape_names_the_job(alice, zh_hans):
    document_id = save(alice, file_name="a.pdf", ocr_content=zh_hans).json()["document_id"]
    body = client_for(alice).get(f"/api/ocr/documents/{document_id}/status/").json()
    document = OcrDocument.objects.get(pk=document_id)
    assert body == {"status": "success", "data": {
        "processing_stage": "pending", "progress_percentage": 0, "last_processed_at": None, "status": "pending",
        "error_message": None, "job_id": str(document.job_id), "ws": f"/ws/jobs/{document.job_id}/"}}


def test_a_normal_user_cannot_save_for_someone_else(alice, bob, en):
    document_id = save(alice, file_name="x", ocr_content=en, user_id=bob.pk).json()["document_id"]
    assert OcrDocument.objects.get(pk=document_id).owner == alice


def test_staff_may_save_on_a_users_behalf(staff, bob, en):
    document_id = save(staff, file_name="x", ocr_content=en, user_id=bob.pk).json()["document_id"]
    document = OcrDocument.objects.get(pk=document_id)
    assert document.owner == bob and document.job.owner == bob
    response = save(staff, file_name="x", ocr_content=en, user_id=99999)
    assert response.status_code == 400 and "user_id" in response.json()["errors"]


@pytest.mark.parametrize("body", [{"file_name": "x", "ocr_content": ""}, {"file_name": "x", "ocr_content": " \n\t"},
                                  {"file_name": "x"}])
def test_empty_text_is_a_400_naming_ocr_content_and_creates_nothing(alice, body):
    response = save(alice, **body)
    assert response.status_code == 400
    assert response.json()["status"] == "error" and "ocr_content" in response.json()["errors"]
    assert "ocr_content" in response.json()["message"]
    assert not OcrDocument.objects.exists() and not Job.objects.exists()


def test_a_non_pdf_upload_is_a_400_naming_file(alice):
    upload = SimpleUploadedFile("scan.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="application/pdf")
    response = client_for(alice).post("/api/ocr/save/", {"file": upload}, format="multipart")
    assert response.status_code == 400 and "not a PDF" in response.json()["errors"]["file"][0]
    assert not OcrDocument.objects.exists() and not Job.objects.exists()


def test_a_pdf_upload_is_read_from_its_text_layer(alice, en):
    lines = [line for line in en.splitlines() if line.strip()][:10]
    upload = SimpleUploadedFile("proposal.pdf", make_pdf(lines), content_type="application/pdf")
    response = client_for(alice).post("/api/ocr/save/", {"file": upload}, format="multipart")
    assert response.status_code == 200, response.json()
    document = OcrDocument.objects.get(pk=response.json()["document_id"])
    assert document.source == "pdf" and document.file_name == "proposal.pdf"
    assert "Name of Life Insured: John Smith" in document.ocr_content


def test_a_body_over_the_limit_is_a_413(alice, settings):
    settings.JOBS_MAX_BODY_BYTES = 1000
    response = save(alice, file_name="x", ocr_content="保" * 2000)
    assert response.status_code == 413
    assert not OcrDocument.objects.exists()


def test_diagnostics_are_staff_only(alice, staff, en):
    response = save(alice, file_name="x", ocr_content=en, fail_stage="extract_table")
    assert response.status_code == 400 and "fail_stage" in response.json()["errors"]
    assert not OcrDocument.objects.exists()
    response = save(staff, file_name="x", ocr_content=en, fail_stage="extract_table", stage_pause_ms=10)
    assert response.status_code == 200
    job = Job.objects.get(pk=response.json()["job_id"])
    assert job.params == {"document_id": response.json()["document_id"], "fail_stage": "extract_table",
                          "stage_pause_ms": 10}


def test_documents_are_private(alice, bob, staff, en):
    document_id = save(alice, file_name="mine", ocr_content=en).json()["document_id"]
    for path in (f"/api/ocr/documents/{document_id}/", f"/api/ocr/documents/{document_id}/status/"):
        assert client_for(bob).get(path).status_code == 404
        assert client_for(staff).get(path).status_code == 200
    assert client_for(bob).post(f"/api/ocr/documents/{document_id}/retry/").status_code == 404
    assert client_for(bob).get("/api/ocr/documents/").json()["count"] == 0
    listing = client_for(alice).get("/api/ocr/documents/").json()
    assert listing["status"] == "success" and listing["count"] == 1
    assert listing["data"][0]["id"] == document_id and "ocr_content" not in listing["data"][0]
    detail = client_for(alice).get(f"/api/ocr/documents/{document_id}/").json()["data"]
    assert detail["ocr_content"] == en and detail["basic_info"] is None


def test_unauthenticated_is_refused():
    assert APIClient().post("/api/ocr/save/", {"ocr_content": "x"}, format="json").status_code in (401, 403)
    assert APIClient().get("/api/ocr/documents/").status_code in (401, 403)


def test_retrying_a_document_that_did_not_fail_is_a_409(alice, en):
    document_id = save(alice, file_name="x", ocr_content=en).json()["document_id"]
    response = client_for(alice).post(f"/api/ocr/documents/{document_id}/retry/")
    assert response.status_code == 409 and response.json()["status"] == "error"


def test_the_kind_through_the_jobs_api(alice, bob, en):
    document_id = save(alice, file_name="x", ocr_content=en).json()["document_id"]
    bobs = client_for(bob).post("/api/jobs/", {"kind": "ocr.extract", "params": {"document_id": document_id}},
                                format="json")
    assert bobs.status_code == 400 and "document_id" in bobs.json()["params"]
    empty = client_for(alice).post("/api/jobs/", {"kind": "ocr.extract", "params": {"ocr_content": ""}}, format="json")
    assert empty.status_code == 400 and "ocr_content" in empty.json()["params"]
    text = client_for(alice).post("/api/jobs/", {"kind": "ocr.extract",
                                                 "params": {"file_name": "p.txt", "ocr_content": en}}, format="json")
    assert text.status_code == 201 and text.json()["queue"] == "ocr"
    kinds = {k["kind"]: k for k in client_for(alice).get("/api/kinds/").json()}
    properties = kinds["ocr.extract"]["params_schema"]["properties"]
    assert set(properties) >= {"document_id", "file_name", "ocr_content"}
    # Fault injection is for staff: absent from a normal user's schema (and so from the form).
    assert not {"fail_stage", "fail_times", "stage_pause_ms"} & set(properties)
