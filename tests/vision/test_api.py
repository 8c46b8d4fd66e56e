"""The visual-analysis endpoints the replaced system's clients call, through DRF's test client."""
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image
from rest_framework.test import APIClient

from apps.jobs.models import Job
from tests.vision.factories import b64, encode, textured

COMPREHENSIVE = "/api/visual-analysis/comprehensive/"


def status_url(task_id: str) -> str:
    return f"/api/visual-analysis/task/{task_id}/status/"


@pytest.fixture
def client(alice) -> APIClient:
    api = APIClient()
    api.force_authenticate(alice)
    return api


@pytest.fixture
def image_data() -> str:
    return b64(encode(textured(), "JPEG"))


@pytest.mark.django_db
def test_post_answers_pending_with_the_job_id_as_task_id(client, alice, image_data):
    response = client.post(COMPREHENSIVE, {"image_data": image_data}, format="json")
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "pending" and body["progress"] == 0 and body["message"]
    assert "result" not in body
    job = Job.objects.get(pk=body["task_id"])
    assert (job.kind, job.queue, job.owner) == ("vision.analyze", "vision", alice)
    status = client.get(status_url(body["task_id"])).json()
    assert {"task_id", "status", "progress", "created_at", "updated_at"} <= set(status)
    assert status["task_id"] == body["task_id"] and status["status"] == "pending"


@pytest.mark.django_db
def test_the_status_of_someone_elses_or_an_unknown_task_is_404(client, bob, image_data):
    task_id = client.post(COMPREHENSIVE, {"image_data": image_data}, format="json").json()["task_id"]
    other = APIClient()
    other.force_authenticate(bob)
    assert other.get(status_url(task_id)).status_code == 404
    assert client.get(status_url("not-a-uuid")).status_code == 404
    assert client.get(status_url("00000000-0000-0000-0000-000000000000")).status_code == 404


@pytest.mark.django_db
def test_anonymous_requests_are_refused():
    response = APIClient().post(COMPREHENSIVE, {"image_data": "x"}, format="json")
    assert response.status_code in (401, 403)
    assert Job.objects.count() == 0


@pytest.mark.django_db(transaction=True)
@override_settings(CELERY_ENABLED=False)
def test_with_celery_disabled_the_post_answers_the_finished_analysis(client):
    response = client.post(COMPREHENSIVE, {"image_data": "data:image/jpeg;base64," + b64(encode(textured(), "JPEG"))},
                           format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "success" and body["progress"] == 100
    assert body["result"]["image"]["format"] == "JPEG" and 0 <= body["result"]["quality"]["score"] <= 100
    # The same job machinery ran: the status endpoint and the stored events tell the same story.
    status = client.get(status_url(body["task_id"])).json()
    assert status["status"] == "success" and status["result"] == body["result"]
    events = client.get(f"/api/jobs/{body['task_id']}/events/").json()["events"]
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert [e["stage"] for e in events if e["event"] == "stage"] == [
        "decoding", "metadata", "exposure_colour", "sharpness_noise", "composition", "report"]
    assert events[0]["event"] == "pending" and events[-1]["event"] == "success"


@pytest.mark.django_db(transaction=True)
@override_settings(CELERY_ENABLED=False)
def test_a_multipart_upload_is_accepted(client):
    upload = encode(textured(), "PNG")
    response = client.post(COMPREHENSIVE, {"image": SimpleUploadedFile("photo.png", upload, "image/png")},
                           format="multipart")
    assert response.status_code == 200, response.content
    image = response.json()["result"]["image"]
    assert (image["format"], image["bytes"]) == ("PNG", len(upload))


def _bad_inputs():
    jpeg = encode(textured(), "JPEG")
    return [
        ({"image_data": "###"}, "image_data", "is not valid base64"),
        ({"image_data": b64(b"just some text, not a picture")}, "image_data", "is not an image"),
        ({"image_data": b64(jpeg[: len(jpeg) // 2])}, "image_data", "truncated or corrupt JPEG"),
        ({"image_data": b64(encode(textured(), "PPM"))}, "image_data", "is a PPM image"),
        ({}, "image_data", "send exactly one of"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("payload, field, reason", _bad_inputs())
def test_bad_input_is_a_400_naming_the_field_and_creates_nothing(client, payload, field, reason):
    response = client.post(COMPREHENSIVE, payload, format="json")
    assert response.status_code == 400, response.content
    assert reason in " ".join(response.json()[field])
    assert Job.objects.count() == 0


@pytest.mark.django_db
def test_a_decompression_bomb_is_a_400(client):
    bomb = encode(Image.new("1", (10_000, 10_000)), "PNG")
    response = client.post(COMPREHENSIVE, {"image_data": b64(bomb)}, format="json")
    assert response.status_code == 400 and "pixels" in response.json()["image_data"][0]
    assert Job.objects.count() == 0


@pytest.mark.django_db
def test_an_image_over_the_byte_limit_is_a_413(client, image_data, settings):
    settings.VISION_MAX_IMAGE_BYTES = 1000
    response = client.post(COMPREHENSIVE, {"image_data": image_data}, format="json")
    assert response.status_code == 413 and "over the limit of 1000 bytes" in response.json()["image_data"][0]
    upload = SimpleUploadedFile("big.jpg", b"\xff" * 2000, "image/jpeg")
    response = client.post(COMPREHENSIVE, {"image": upload}, format="multipart")
    assert response.status_code == 413 and "image" in response.json()
    assert Job.objects.count() == 0


@pytest.mark.django_db
@override_settings(JOBS_MAX_BODY_BYTES=5000)
def test_a_body_over_the_request_limit_is_a_json_413(client, image_data):
    response = client.post(COMPREHENSIVE, {"image_data": image_data}, format="json")
    assert response.status_code == 413 and response.json()["limit_bytes"] == 5000
    assert Job.objects.count() == 0


@pytest.mark.django_db
def test_the_kind_is_listed_with_a_file_input_and_checks_its_params(client, image_data):
    kinds = {k["kind"]: k for k in client.get("/api/kinds/").json()}
    field = kinds["vision.analyze"]["params_schema"]["properties"]["image_data"]
    assert (field["contentMediaType"], field["contentEncoding"]) == ("image/*", "base64")
    assert kinds["vision.analyze"]["queue"] == "vision"
    bad = client.post("/api/jobs/", {"kind": "vision.analyze", "params": {"image_data": b64(b"nope")}},
                      format="json")
    assert bad.status_code == 400 and "is not an image" in str(bad.json()["params"]["image_data"])
    assert Job.objects.count() == 0
    good = client.post("/api/jobs/", {"kind": "vision.analyze", "params": {"image_data": image_data}},
                       format="json")
    assert good.status_code == 201 and good.json()["queue"] == "vision"
