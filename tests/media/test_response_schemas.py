"""The media file list and the media kinds' results keep to the OpenAPI document."""
import pytest
from rest_framework.test import APIClient

from apps.jobs import events
from apps.media.kinds import (
    AudioParams,
    CharacterImagesParams,
    ScriptParams,
    audio_run,
    character_images_run,
    export_run,
    script_run,
)
from tests.media.conftest import validated
from tests.response_schema import check, component, response_schema

pytestmark = pytest.mark.django_db


def _job_answer(alice, job, result) -> dict:
    events.record(job.pk, "success", result=result)
    client = APIClient()
    client.force_authenticate(alice)
    answer = client.get(f"/api/jobs/{job.pk}/").json()
    check(answer, response_schema("/api/jobs/{job_id}/", "get", 200), exact=True)
    return answer


def test_each_builtin_kinds_result_is_its_documented_result(started, alice, settings):
    settings.MEDIA_ESPEAK_BINARY = "no-such-espeak-binary"
    script_params = validated(ScriptParams, {"topic": "night trains", "scenes": 2})
    script_job, ctx = started("media.script", script_params)
    runs = [(script_job, script_run(ctx, script_params), "ScriptResult")]
    images_params = validated(CharacterImagesParams, {"characters": [{"name": "Ada"}], "width": 64, "height": 48})
    job, ctx = started("media.character_images", images_params)
    runs.append((job, character_images_run(ctx, images_params), "CharacterImagesResult"))
    audio_params = validated(AudioParams, {"scenes": ["One scene."], "formats": ["wav"]})
    job, ctx = started("media.audio", audio_params)
    runs.append((job, audio_run(ctx, audio_params), "AudioResult"))
    export_params = {"job_ids": [str(script_job.pk)]}
    job, ctx = started("media.export", export_params)
    runs.append((job, export_run(ctx, export_params), "ExportResult"))
    for job, result, name in runs:
        check(_job_answer(alice, job, result)["result"], component(name), exact=True)


def test_the_file_list_is_the_documented_list(started, alice):
    params = validated(ScriptParams, {"topic": "kites", "scenes": 1})
    job, ctx = started("media.script", params)
    script_run(ctx, params)
    client = APIClient()
    client.force_authenticate(alice)
    listing = client.get(f"/api/media/files/{job.pk}/").json()
    check(listing, response_schema("/api/media/files/{job_id}/", "get", 200), exact=True)
    for entry in listing["files"]:
        check(entry, component("MediaFile"), exact=True)
