"""The provider scanner against a real provider server on loopback: pending → success / failure / expiry."""
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from apps.jobs.exceptions import JobDeferred
from apps.jobs.models import Job
from apps.media.kinds import AudioParams, CharacterImagesParams, audio_run, character_images_run
from apps.media.models import MediaFile, ProviderTask
from apps.media.providers import WAITING_STAGE, provider_tasks_scan
from tests.media.conftest import validated

pytestmark = pytest.mark.django_db


def _submit(started, provider):
    params = validated(CharacterImagesParams, {"characters": [{"name": "Ada"}], "provider": "http"})
    job, ctx = started("media.character_images", params)
    with pytest.raises(JobDeferred):
        character_images_run(ctx, params)
    job.refresh_from_db()
    return job, ProviderTask.objects.get(job=job)


def test_submit_defers_the_job_waiting_for_the_provider(started, provider):
    job, task = _submit(started, provider)
    assert (job.status, job.stage) == ("started", WAITING_STAGE)
    assert task.external_id == "ext-1" and task.state == "pending"
    assert provider.submitted[0]["kind"] == "character_images"
    assert provider.submitted[0]["params"]["characters"] == [{"name": "Ada", "description": ""}]


def test_scanner_reports_progress_then_finishes_with_downloaded_outputs(started, provider):
    job, task = _submit(started, provider)
    provider.tasks["ext-1"] = {"status": "running", "progress": 40, "message": "drawing"}
    assert provider_tasks_scan()["polled"] == 1
    job.refresh_from_db()
    assert (job.status, job.progress, job.message) == ("started", 40.0, "drawing")

    provider.tasks["ext-1"] = {"status": "succeeded", "outputs": ["ada.png"]}
    provider.files[("ext-1", "ada.png")] = b"\x89PNG fake bytes"
    assert provider_tasks_scan()["succeeded"] == 1
    job.refresh_from_db()
    assert job.status == "success" and job.result["external_id"] == "ext-1"
    assert [f["name"] for f in job.result["files"]] == ["ada.png"]
    with default_storage.open(MediaFile.objects.get(job=job).path, "rb") as fh:
        assert fh.read() == b"\x89PNG fake bytes"
    assert provider_tasks_scan()["polled"] == 0  # finished tasks are not polled again


def test_scanner_fails_the_job_with_the_providers_error(started, provider, settings):
    settings.MEDIA_ESPEAK_BINARY = "none"
    params = validated(AudioParams, {"text": "hi", "provider": "http"})
    job, ctx = started("media.audio", params)
    with pytest.raises(JobDeferred):
        audio_run(ctx, params)
    provider.tasks["ext-1"] = {"status": "failed", "error": "voice model overloaded"}
    assert provider_tasks_scan()["failed"] == 1
    job.refresh_from_db()
    assert job.status == "failure" and job.error["type"] == "ProviderError"
    assert "voice model overloaded" in job.error["message"]


def test_scanner_gives_up_after_the_deadline(started, provider):
    job, task = _submit(started, provider)
    provider.tasks["ext-1"] = {"status": "running"}
    later = timezone.now() + timedelta(seconds=settings.MEDIA_PROVIDER_DEADLINE_S + 1)
    assert provider_tasks_scan(now=later)["expired"] == 1
    job.refresh_from_db()
    assert job.status == "failure" and job.error["type"] == "ProviderTimeout"
    assert provider.deleted == ["ext-1"]


def test_unreachable_provider_keeps_the_job_waiting(started, provider, settings):
    job, task = _submit(started, provider)
    settings.MEDIA_HTTP_PROVIDER_URL = "http://127.0.0.1:9"  # nothing listens there
    provider_tasks_scan()
    job.refresh_from_db()
    assert job.status == "started"
    assert ProviderTask.objects.get(pk=task.pk).provider_status == "unreachable"


def test_cancelled_job_closes_its_provider_task(started, provider):
    from apps.jobs.services import job_cancel

    job, task = _submit(started, provider)
    job_cancel(job=Job.objects.get(pk=job.pk))
    assert provider_tasks_scan()["cancelled"] == 1
    assert provider.deleted == ["ext-1"]
