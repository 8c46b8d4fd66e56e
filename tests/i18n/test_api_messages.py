"""API messages in the caller's language; codes, statuses and field names stay (CONTRACT "Languages")."""
from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.vision.factories import b64, encode, textured

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9"}


@pytest.fixture
def api(alice) -> APIClient:
    client = APIClient()
    client.force_authenticate(alice)
    return client


def test_ocr_save_answers_the_seed_systems_words_in_chinese(api):
    body = {"file_name": "计划书.pdf", "ocr_content": "被保险人：张三"}
    chinese = api.post("/api/ocr/save/", body, format="json", **ZH).json()
    assert chinese["status"] == "success" and chinese["message"] == "保存成功"
    english = api.post("/api/ocr/save/", body, format="json").json()
    assert english["message"] == "saved; extraction started"


def test_visual_analysis_answers_the_seed_systems_words_in_chinese(api):
    image = b64(encode(textured(), "JPEG"))
    response = api.post("/api/visual-analysis/comprehensive/", {"image_data": image}, format="json", **ZH)
    assert response.status_code == 202
    assert response.json()["message"] == "任务已创建，正在处理中"
    assert response.json()["status"] == "pending"  # the code, not a translation


def test_the_language_cookie_chooses_the_message_too(api):
    api.cookies["django_language"] = "zh-hans"
    response = api.post("/api/visual-analysis/comprehensive/", {"image_data": b64(encode(textured(), "JPEG"))},
                        format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["message"] == "任务已创建，正在处理中"


def test_validation_errors_in_both_languages_name_the_same_field(api):
    bad = {"kind": "jobs.ticker", "params": {"steps": 0}}
    english = api.post("/api/jobs/", bad, format="json")
    chinese = api.post("/api/jobs/", bad, format="json", **ZH)
    assert english.status_code == chinese.status_code == 400
    assert "greater than or equal to 1" in str(english.json()["params"]["steps"])
    assert "1" in str(chinese.json()["params"]["steps"]) and "确保" in str(chinese.json()["params"]["steps"])


def test_the_projects_own_messages_are_translated(api):
    response = api.post("/api/jobs/", {"kind": "jobs.ticker", "params": {"steps": 2, "fail_at": 3}}, format="json", **ZH)
    assert response.status_code == 400 and response.json()["params"]["fail_at"] == ["不能大于步数"]
    response = api.post("/api/ocr/save/", {"file_name": "a.pdf", "ocr_content": " "}, format="json", **ZH)
    assert response.status_code == 400 and "不能为空" in response.json()["errors"]["ocr_content"][0]
    assert api.get("/api/jobs/?status=nope", **ZH).json() == {
        "status": ["未知状态 'nope'；可选：pending, started, retry, success, failure, revoked"]}


def test_unauthenticated_is_drf_s_own_chinese_message():
    response = APIClient().get("/api/jobs/", **ZH)
    assert response.status_code in (401, 403) and response.json()["detail"] == "身份认证信息未提供。"


def test_kinds_titles_descriptions_and_field_help_in_both_languages(api):
    def ticker(**headers):
        return next(k for k in api.get("/api/kinds/", **headers).json() if k["kind"] == "jobs.ticker")

    english, chinese = ticker(), ticker(**ZH)
    assert english["kind"] == chinese["kind"] == "jobs.ticker"
    assert (english["title"], chinese["title"]) == ("Ticker", "计步器")
    steps_en, steps_zh = english["params_schema"]["properties"]["steps"], chinese["params_schema"]["properties"]["steps"]
    assert (steps_en["title"], steps_zh["title"]) == ("Steps", "步数")
    assert steps_zh["description"] == "要报告的进度步数。" and steps_en["description"] == "How many progress steps to report."


@pytest.mark.django_db(transaction=True)
def test_vision_suggestions_follow_the_viewer_while_the_stored_result_stays_english(api, settings):
    from tests.vision.factories import with_exif

    settings.CELERY_ENABLED = False  # the analysis runs in the web process: its answer is the finished job
    image = b64(with_exif(textured(), gps=True))
    body = api.post("/api/visual-analysis/comprehensive/", {"image_data": image}, format="json").json()
    assert body["status"] == "success"
    english = api.get(f"/api/visual-analysis/task/{body['task_id']}/status/").json()["result"]["suggestions"]
    chinese = api.get(f"/api/visual-analysis/task/{body['task_id']}/status/", **ZH).json()["result"]["suggestions"]
    assert any("GPS location data" in line for line in english)
    assert any("GPS 位置信息" in line for line in chinese) and len(chinese) == len(english)
    stored = api.get(f"/api/jobs/{body['task_id']}/").json()["result"]["suggestions"]
    assert stored == english
