"""Bad params are a 400 naming the field, and nothing is created."""
import pytest
from rest_framework.test import APIClient

from apps.jobs.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(alice):
    client = APIClient()
    client.force_authenticate(alice)
    return client


def _post(api, kind, params):
    return api.post("/api/jobs/", {"kind": kind, "params": params}, format="json")


@pytest.mark.parametrize("scenes", [0, 1000])
def test_scene_count_out_of_range(api, scenes):
    for kind in ("media.script", "media.video"):
        r = _post(api, kind, {"topic": "bees", "scenes": scenes})
        assert r.status_code == 400 and "scenes" in r.json()["params"], r.content
    r = _post(api, "media.audio", {"scenes": ["x"] * scenes})
    assert r.status_code == 400 and "scenes" in r.json()["params"]
    assert not Job.objects.exists()


def test_unknown_voice(api):
    r = _post(api, "media.audio", {"text": "hello", "voice": "darth"})
    assert r.status_code == 400 and "voice" in r.json()["params"]
    r = _post(api, "media.video", {"topic": "bees", "voice": "darth"})
    assert r.status_code == 400 and "voice" in r.json()["params"]


def test_export_of_a_job_that_is_not_yours(api, bob):
    from apps.jobs.services import job_create

    bobs = job_create(owner=bob, kind="media.script", params={"topic": "x"})
    r = _post(api, "media.export", {"job_ids": [str(bobs.pk)]})
    assert r.status_code == 400 and str(bobs.pk) in str(r.json()["params"]["job_ids"])
    assert Job.objects.count() == 1


def test_other_bad_params(api):
    cases = [
        ("media.video", {"topic": "x", "width": 161}, "width"),
        ("media.audio", {"text": "a", "scenes": ["b"]}, "text"),
        ("media.audio", {}, "text"),
        ("media.character_images", {"characters": []}, "characters"),
        ("media.character_images", {"characters": [{"name": "A"}, {"name": "a"}]}, "characters"),
        ("media.character_images", {"characters": [{"name": "A"}], "provider": "http"}, "provider"),
        ("media.script", {"topic": "x", "provider": "openai"}, "provider"),
        ("media.script", {"topic": "x", "colour": "red"}, "colour"),
        ("media.export", {"job_ids": ["not-a-uuid"]}, "job_ids"),
    ]
    for kind, params, field in cases:
        r = _post(api, kind, params)
        assert r.status_code == 400 and field in r.json()["params"], (kind, params, r.content)
    assert not Job.objects.exists()


def test_valid_video_job_lands_on_its_queue(api):
    r = _post(api, "media.video", {"topic": "bees", "scenes": 2, "width": 160, "height": 90})
    assert r.status_code == 201 and r.json()["queue"] == "media.video"
