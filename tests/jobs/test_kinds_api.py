"""GET /api/kinds/ as a form builder reads it: examples that validate, staff-only diagnostics, oneOf."""
from __future__ import annotations

import jsonschema
import pytest
from rest_framework.test import APIClient

from apps.jobs import registry

pytestmark = pytest.mark.django_db


def kinds_for(user) -> dict[str, dict]:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get("/api/kinds/")
    assert response.status_code == 200
    return {k["kind"]: k for k in response.json()}


def test_every_kind_but_export_has_an_example_whose_params_the_kind_accepts(alice):
    kinds = kinds_for(alice)
    for name, kind in kinds.items():
        example = kind["example"]
        if name == "media.export":
            assert example is None  # alice has no finished media job to export yet
            continue
        assert example is not None, name
        params = dict(example["params"])
        if "create" in example:  # a web or load test: the form creates its script first
            create = example["create"]
            assert create["url"].startswith("/api/v1/") and create["param"] in kind["params_schema"]["properties"]
            assert "{origin}" in create["body"]["base_url"]
            continue
        jsonschema.validate(params, kind["params_schema"])
        serializer = registry.get(name).params(data=params, context={"request": None})
        assert serializer.is_valid(), (name, serializer.errors)


def test_diagnostics_params_are_absent_for_users_and_marked_for_staff(alice, staff):
    users = kinds_for(alice)["ocr.extract"]["params_schema"]["properties"]
    staffs = kinds_for(staff)["ocr.extract"]["params_schema"]["properties"]
    diagnostics = {"fail_stage", "fail_times", "stage_pause_ms"}
    assert not diagnostics & set(users)
    assert {name for name, prop in staffs.items() if prop.get("x-diagnostics")} == diagnostics


def test_audio_schema_says_exactly_one_of_text_or_scenes_and_the_api_agrees(alice):
    schema = kinds_for(alice)["media.audio"]["params_schema"]
    assert schema["oneOf"] == [{"required": ["text"]}, {"required": ["scenes"]}]
    jsonschema.validate({"text": "hello"}, schema)
    for bad in ({}, {"text": "hello", "scenes": ["a"]}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)
        client = APIClient()
        client.force_authenticate(alice)
        response = client.post("/api/jobs/", {"kind": "media.audio", "params": bad}, format="json")
        assert response.status_code == 400 and "exactly one of text or scenes" in str(response.json()["params"])


def test_run_time_is_seconds_or_locust_form_and_a_text_input(alice):
    prop = kinds_for(alice)["testing.perf"]["params_schema"]["properties"]["run_time"]
    assert prop["x-widget"] == "text" and [alt["type"] for alt in prop["oneOf"]] == ["integer", "string"]
