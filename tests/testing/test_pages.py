"""The web-test and load-test pages: login required, another user's object is a 404, both languages."""
from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from apps.testing import services

pytestmark = pytest.mark.django_db

PAGES = ["/tests/scripts/", "/tests/scripts/new/", "/tests/scenarios/", "/tests/scenarios/new/"]
STEPS = [{"name": "health", "method": "GET", "path": "/api/health/", "expect": {"status": 200}}]
REQUESTS = [{"name": "health", "method": "GET", "path": "/api/health/", "weight": 1}]


@pytest.fixture
def objects(alice):
    script = services.script_create(owner=alice, name="my script", base_url="http://127.0.0.1:9", steps=STEPS)
    scenario = services.scenario_create(owner=alice, name="my scenario", base_url="http://127.0.0.1:9",
                                        requests=REQUESTS, think_time_ms=[0, 10])
    return script, scenario


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    """Pages render with plain static storage here (the manifest exists only after collectstatic)."""
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


def _urls(script, scenario) -> list[str]:
    return [*PAGES, f"/tests/scripts/{script.pk}/", f"/tests/scripts/{script.pk}/edit/",
            f"/tests/scenarios/{scenario.pk}/", f"/tests/scenarios/{scenario.pk}/edit/"]


def _client(user, language: str) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_every_page_sends_a_visitor_to_the_login_form(objects):
    for url in _urls(*objects):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next="), url


def test_another_users_script_and_scenario_are_404s(objects, bob):
    script, scenario = objects
    client = _client(bob, "en")
    for url in _urls(script, scenario)[len(PAGES):]:
        assert client.get(url).status_code == 404, url
    assert "my script" not in client.get("/tests/scripts/").content.decode()


@pytest.mark.parametrize(("language", "words", "absent"), [
    ("en", ["Web-test scripts", "Load-test scenarios", "New script", "Last run", "never run", "Runs", "Run",
            "Edit", "Users", "Run time", "Tests"], "测试"),
    ("zh-hans", ["网页测试脚本", "压力测试场景", "新建脚本", "最近一次运行", "从未运行", "运行记录", "运行",
                 "编辑", "用户数", "运行时长", "测试"], "Last run"),
])
def test_the_pages_render_in_both_languages(objects, alice, language, words, absent):
    client = _client(alice, language)
    html = {url: client.get(url) for url in _urls(*objects)}
    assert all(r.status_code == 200 for r in html.values()), {u: r.status_code for u, r in html.items()}
    text = " ".join(r.content.decode() for r in html.values())
    assert f'<html lang="{language}">' in text
    missing = [w for w in words if w not in text]
    assert not missing
    assert absent not in html["/tests/scripts/"].content.decode()
    assert "my script" in html["/tests/scripts/"].content.decode()
    assert 'id="editor-example"' in html["/tests/scripts/new/"].content.decode()


def test_the_list_shows_the_latest_runs_verdict(objects, alice):
    script, _ = objects
    run = services.web_run_start(script=script, owner=alice)
    services.run_result_save(run=run, result={"passed": 1, "failed": 1, "total": 2, "steps": []})
    run.job.status = "success"
    run.job.save(update_fields=["status"])
    html = _client(alice, "en").get("/tests/scripts/").content.decode()
    assert "1 of 2 steps failed" in html and 'data-status="failure"' in html
