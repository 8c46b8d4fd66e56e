"""Each kind's body run with a real JobContext: the files it stores and the result it returns."""
import io
import json
import wave
import zipfile

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from apps.jobs.models import Event
from apps.media.export import ExportForbidden
from apps.media.kinds import (
    AudioParams,
    CharacterImagesParams,
    ExportParams,
    ScriptParams,
    audio_run,
    character_images_run,
    export_run,
    script_run,
)
from apps.media.models import MediaFile
from tests.media.conftest import validated

pytestmark = pytest.mark.django_db


def _read(job, name: str) -> bytes:
    with default_storage.open(MediaFile.objects.get(job=job, name=name).path, "rb") as fh:
        return fh.read()


def test_script_kind_stores_json_and_text(started):
    params = validated(ScriptParams, {"topic": "night trains", "scenes": 3})
    job, ctx = started("media.script", params)
    result = script_run(ctx, params)
    assert [f["name"] for f in result["files"]] == ["script.json", "script.txt"]
    stored = json.loads(_read(job, "script.json"))
    assert len(stored["scenes"]) == 3 and stored["title"] == result["title"]
    assert result["files"][0]["url"] == f"/api/media/files/{job.pk}/script.json"


def test_character_images_are_pngs_of_the_requested_size_with_progress_per_image(started):
    params = validated(CharacterImagesParams, {"characters": [{"name": "Ada", "description": "glasses"},
                                                              {"name": "Bruno"}, {"name": "Chiara"}],
                                               "width": 120, "height": 90})
    job, ctx = started("media.character_images", params)
    result = character_images_run(ctx, params)
    assert [i["character"] for i in result["images"]] == ["Ada", "Bruno", "Chiara"]
    for image in result["images"]:
        assert Image.open(io.BytesIO(_read(job, image["name"]))).size == (120, 90)
    per_image = [e.data.get("done") for e in Event.objects.filter(job=job, event="progress").order_by("seq")]
    assert per_image == [1, 2, 3]


def test_audio_kind_reports_the_wav_duration_and_labels_the_placeholder(started, settings):
    settings.MEDIA_ESPEAK_BINARY = "no-such-espeak-binary"
    params = validated(AudioParams, {"scenes": ["First scene.", "Second scene, a bit longer."],
                                     "formats": ["wav", "mp3"]})
    job, ctx = started("media.audio", params)
    result = audio_run(ctx, params)
    assert result["engine"] == "placeholder" and result["speech"] is False and "PLACEHOLDER" in result["note"]
    with wave.open(io.BytesIO(_read(job, "narration.wav"))) as wav:
        assert abs(wav.getnframes() / wav.getframerate() - result["duration_s"]) < 0.001
    assert sorted(f["name"] for f in result["files"]) == ["narration.mp3", "narration.wav"]
    assert Event.objects.filter(job=job, event="log", message__contains="PLACEHOLDER").exists()


def test_export_zips_the_files_of_selected_jobs(started):
    params = validated(ScriptParams, {"topic": "kites", "scenes": 1})
    source, ctx = started("media.script", params)
    script_run(ctx, params)
    export_params = {"job_ids": [str(source.pk)]}
    export_job, export_ctx = started("media.export", export_params)
    result = export_run(export_ctx, export_params)
    assert result["entries"] == 2 and [f["name"] for f in result["files"]] == ["export.zip"]
    with zipfile.ZipFile(io.BytesIO(_read(export_job, "export.zip"))) as archive:
        names = archive.namelist()
        folder = f"media-script-{str(source.pk)[:8]}"
        assert names == [f"{folder}/script.json", f"{folder}/script.txt", "manifest.json"]
        assert archive.read(f"{folder}/script.json") == _read(source, "script.json")


def test_export_refuses_another_users_job_at_run_time(started, bob):
    foreign, _ = started("media.script", validated(ScriptParams, {"topic": "x", "scenes": 1}), owner=bob)
    params = {"job_ids": [str(foreign.pk)]}
    _, ctx = started("media.export", params)
    with pytest.raises(ExportForbidden, match=str(foreign.pk)):
        export_run(ctx, params)
    assert ExportParams  # the API-level check is in test_params
