"""Media kinds end to end over a real worker: files downloaded through the owner-only endpoint and checked."""
import io
import json
import tempfile
import wave
import zipfile
from pathlib import Path

from PIL import Image

from apps.media.ffmpeg import media_probe


def _download(stack, url: str, user: str = "alice") -> bytes:
    with stack.client(user) as c:
        r = c.get(url)
    assert r.status_code == 200, (url, r.status_code)
    return r.content


def _files(job: dict) -> dict[str, str]:
    return {f["name"]: f["url"] for f in job["result"]["files"]}


def test_script_and_character_images_end_to_end(stack):
    script = stack.submit("media.script", {"topic": "paper boats", "scenes": 2, "characters": 2})
    images = stack.submit("media.character_images", {"characters": [{"name": "Ada", "description": "glasses"},
                                                                    {"name": "Bruno"}], "width": 96, "height": 64})
    script = stack.wait_job(script["id"])
    images = stack.wait_job(images["id"])
    assert script["status"] == "success" and images["status"] == "success", (script, images)
    assert len(json.loads(_download(stack, _files(script)["script.json"]))["scenes"]) == 2
    for name, url in _files(images).items():
        assert Image.open(io.BytesIO(_download(stack, url))).size == (96, 64), name
    with stack.client("bob") as c:
        assert c.get(next(iter(_files(images).values()))).status_code == 404

    export = stack.wait_job(stack.submit("media.export", {"job_ids": [script["id"], images["id"]]})["id"])
    assert export["status"] == "success" and export["queue"] == "files"
    with zipfile.ZipFile(io.BytesIO(_download(stack, _files(export)["export.zip"]))) as archive:
        names = set(archive.namelist())
    expected = {f"media-script-{script['id'][:8]}/{n}" for n in _files(script)} | \
               {f"media-character_images-{images['id'][:8]}/{n}" for n in _files(images)} | {"manifest.json"}
    assert names == expected


def test_audio_wav_has_the_reported_duration(stack):
    job = stack.wait_job(stack.submit("media.audio", {"scenes": ["Hello there.", "Second scene."],
                                                      "voice": "british"})["id"])
    assert job["status"] == "success" and job["queue"] == "media.audio"
    with wave.open(io.BytesIO(_download(stack, _files(job)["narration.wav"]))) as wav:
        assert abs(wav.getnframes() / wav.getframerate() - job["result"]["duration_s"]) < 0.01
    assert {"narration.mp3", "narration.m4a"} <= set(_files(job))


def test_video_pipeline_one_bar_and_a_probed_mp4(stack):
    job = stack.submit("media.video", {"topic": "a windy harbour", "scenes": 2, "characters": 2,
                                       "width": 160, "height": 90, "fps": 8, "title_seconds": 0.5,
                                       "length": "short"})
    assert job["queue"] == "media.video"
    job = stack.wait_job(job["id"], timeout=180)
    assert job["status"] == "success", job
    events = stack.events(job["id"])
    stages = [e["stage"] for e in events if e["event"] == "stage"]
    assert stages == ["script", "images", "audio", "video"]
    bar = [e["progress"] for e in events]
    assert bar == sorted(bar) and bar[-1] == 100.0  # one bar across all four steps, never going back
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "video.mp4"
        path.write_bytes(_download(stack, _files(job)["video.mp4"]))
        probe = media_probe(path)
    assert abs(probe["duration_s"] - job["result"]["duration_s"]) < 0.3
    assert {"h264", "aac", "mov_text"} <= {s["codec"] for s in probe["streams"]}
    assert "-->" in _download(stack, _files(job)["subtitles.srt"]).decode()


def test_bad_params_are_refused_over_the_api(stack):
    with stack.client() as c:
        r = c.post("/api/jobs/", json={"kind": "media.video", "params": {"topic": "x", "scenes": 1000}})
    assert r.status_code == 400 and "scenes" in r.json()["params"]
