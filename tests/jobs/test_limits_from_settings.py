"""Limits are settings read when used: override_settings reaches validation, /api/kinds/ and kinds.

Before, `max_value=settings.X` in a serializer and `time_limit=settings.Y` in a kind were read
once at import, so a changed setting silently kept the old limit.
"""
from __future__ import annotations

import pytest
from django.test import override_settings
from rest_framework import serializers
from rest_framework.test import APIClient

from apps.jobs import registry
from apps.jobs.limits import Setting, fresh_field
from apps.jobs.models import Job
from apps.testing.models import WebTestScript

pytestmark = pytest.mark.django_db


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _kind_schema(client: APIClient, name: str) -> dict:
    kinds = {k["kind"]: k for k in client.get("/api/kinds/").json()}
    return kinds[name]["params_schema"]


def test_a_lowered_scene_limit_shows_in_the_kinds_schema_and_refuses_the_job(alice):
    client = _client(alice)
    default_max = _kind_schema(client, "media.script")["properties"]["scenes"]["maximum"]
    with override_settings(MEDIA_MAX_SCENES=2):
        assert _kind_schema(client, "media.script")["properties"]["scenes"]["maximum"] == 2
        response = client.post("/api/jobs/", {"kind": "media.script", "params": {"topic": "sea", "scenes": 3}},
                               format="json")
    assert response.status_code == 400
    assert "scenes" in str(response.json())
    assert Job.objects.count() == 0
    assert _kind_schema(client, "media.script")["properties"]["scenes"]["maximum"] == default_max != 2


def test_a_lowered_step_count_refuses_a_script_the_default_accepts(alice):
    client = _client(alice)
    body = {"name": "two steps", "base_url": "http://127.0.0.1:8000",
            "steps": [{"name": "a", "path": "/api/health/"}, {"name": "b", "path": "/api/health/"}]}
    assert client.post("/api/v1/web-test/scripts/", body, format="json").status_code in (200, 201)
    with override_settings(TESTING_MAX_STEPS=1):
        response = client.post("/api/v1/web-test/scripts/", body, format="json")
    assert response.status_code == 400
    assert "steps" in str(response.json())
    assert WebTestScript.objects.count() == 1


def test_a_nested_limit_follows_the_setting_too(alice):
    """The step timeout lives in a serializer nested in a list: its bound and its default."""
    client = _client(alice)
    step = {"name": "a", "path": "/api/health/", "timeout_s": 20}
    body = {"name": "slow", "base_url": "http://127.0.0.1:8000", "steps": [step]}
    with override_settings(TESTING_MAX_STEP_TIMEOUT_S=10):
        response = client.post("/api/v1/web-test/scripts/", body, format="json")
    assert response.status_code == 400 and "timeout_s" in str(response.json())
    with override_settings(TESTING_DEFAULT_STEP_TIMEOUT_S=3.5):
        created = client.post("/api/v1/web-test/scripts/", {**body, "steps": [{"name": "a", "path": "/"}]},
                              format="json")
    assert created.status_code in (200, 201)
    assert WebTestScript.objects.get().steps[0]["timeout_s"] == 3.5


def test_a_kinds_time_limits_and_retries_follow_the_settings():
    vision = registry.get("vision.analyze")
    web = registry.get("testing.web")
    with override_settings(VISION_SOFT_TIME_LIMIT_S=7, VISION_TIME_LIMIT_S=9, TESTING_MAX_RETRIES=4,
                           TESTING_WEB_TIME_LIMIT_S=30):
        assert (vision.soft_limit, vision.hard_limit) == (7, 9)
        assert web.retries == 4
        assert (web.soft_limit, web.hard_limit) == (30, 90)
    with override_settings(OCR_STEP_MAX_RETRIES=5, OCR_RETRY_BACKOFF_S=1.5):
        ocr = registry.get("ocr.extract")
        assert {step.retries for step in ocr.pipeline} == {5}
        assert ocr.retry_delay(2) == 6.0


def test_fresh_field_rebuilds_a_field_with_its_settings_read_now():
    plain = serializers.ListField(child=serializers.IntegerField(max_value=3), default=[])
    copied = fresh_field(plain)
    assert copied is not plain and copied.child.max_value == 3
    assert copied.default == [] and copied.default is not plain.default  # no list shared between requests
    listed = serializers.ListField(child=serializers.IntegerField(max_value=Setting("MEDIA_MAX_SCENES")))
    with override_settings(MEDIA_MAX_SCENES=4):
        bound = fresh_field(listed)
    assert bound is not listed and bound.child.max_value == 4
    assert bound.run_validation([4]) == [4]
    with pytest.raises(serializers.ValidationError, match="4"):
        bound.run_validation([5])
