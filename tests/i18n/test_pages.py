"""The pages in both languages: cookie first, then Accept-Language, then English; the switcher."""
from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from apps.jobs import services

pytestmark = pytest.mark.django_db


def page(client: Client, url: str, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def signed_in(alice) -> Client:
    client = Client()
    client.force_login(alice)
    return client


def test_the_login_page_is_english_by_default_and_chinese_for_a_chinese_browser():
    english = page(Client(), "/accounts/login/")
    assert '<html lang="en">' in english and "Log in" in english and "Username" in english
    chinese = page(Client(), "/accounts/login/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9,en;q=0.5")
    assert '<html lang="zh-hans">' in chinese
    assert "登录" in chinese and "用户名" in chinese and "密码" in chinese and "Username" not in chinese


def test_the_language_cookie_wins_over_accept_language(signed_in):
    signed_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = page(signed_in, "/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert "New job" in english and "新建任务" not in english
    signed_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    chinese = page(signed_in, "/", HTTP_ACCEPT_LANGUAGE="en-US")
    assert "新建任务" in chinese and "我的任务" in chinese and "注销" in chinese and "New job" not in chinese


def test_the_job_page_in_chinese(signed_in, alice):
    job = services.job_create(owner=alice, kind="jobs.ticker", params={"steps": 1, "interval_ms": 0})
    chinese = page(signed_in, f"/jobs/{job.pk}/", HTTP_ACCEPT_LANGUAGE="zh-Hans")
    assert "阶段" in chinese and "时间线" in chinese and "全部任务" in chinese and "Timeline" not in chinese


def test_the_switcher_posts_to_set_language_and_returns_to_the_same_page(signed_in):
    html = page(signed_in, "/?from=here")
    assert 'action="/i18n/setlang/"' in html and 'name="next" value="/?from=here"' in html
    assert '<option value="zh-hans" lang="zh-hans">简体中文</option>' in html
    response = signed_in.post("/i18n/setlang/", {"language": "zh-hans", "next": "/?from=here"})
    assert response.status_code == 302 and response["Location"] == "/?from=here"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    assert "新建任务" in page(signed_in, "/?from=here")


def test_the_js_catalog_has_the_modules_and_the_kinds_messages_in_chinese():
    body = page(Client(), "/jsi18n/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    # the JS modules' own strings (djangojs) ...
    assert '"Submit job": "\\u63d0\\u4ea4\\u4efb\\u52a1"' in body or '"Submit job": "提交任务"' in body
    # ... and the built-in kinds' event messages and stage titles (their apps' django catalogs)
    assert "step %(i)s of %(n)s" in body and "stage\\u0004ticking" in body.replace("\\x04", "\\u0004")
    assert "Submit job" not in page(Client(), "/jsi18n/", HTTP_ACCEPT_LANGUAGE="en")


def test_the_admin_follows_the_language(staff):
    client = Client()
    client.force_login(staff)
    assert "站点管理" in page(client, "/admin/", HTTP_ACCEPT_LANGUAGE="zh-CN")
