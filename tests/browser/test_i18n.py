"""The dashboard and the job page in Chinese (Chromium with locale zh-CN), next to English (issue 17)."""
from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from livestack.stack import LiveStack
from tests.browser.conftest import TIMEOUT_MS, log_in

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"


def shot(page: Page, web: LiveStack, name: str) -> None:
    """The docs' copy only on request (JOBCAST_UPDATE_SCREENSHOTS=1), as test_dashboard.py does."""
    target = SCREENSHOTS / name if os.environ.get("JOBCAST_UPDATE_SCREENSHOTS") else web.dir / name
    page.screenshot(path=str(target), full_page=True)


@pytest.fixture
def zh_context(browser: Browser, web: LiveStack, alice_state: dict) -> Iterator[BrowserContext]:
    ctx = browser.new_context(base_url=web.base, storage_state=alice_state, locale="zh-CN",
                              timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 860})
    ctx.set_default_timeout(TIMEOUT_MS)
    yield ctx
    ctx.close()


@pytest.fixture
def zh_page(zh_context: BrowserContext, console) -> Iterator[Page]:
    pg = zh_context.new_page()
    pg.on("console", lambda msg: console.record(f"console.{msg.type}: {msg.text}") if msg.type == "error" else None)
    pg.on("pageerror", lambda exc: console.record(f"pageerror: {exc}"))
    yield pg
    assert console.unexpected() == [], f"the page logged errors: {console.unexpected()}"


def ready(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator("body")).to_have_attribute("data-ready", "true")


def test_the_dashboard_in_chinese_submits_a_ticker_and_follows_it_live(zh_page: Page, web: LiveStack):
    ready(zh_page, "/")
    expect(zh_page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(zh_page.get_by_role("heading", name="我的任务")).to_be_visible()
    expect(zh_page.locator("#conn .conn-text")).to_have_text("实时")
    zh_page.select_option("#kind-select", "jobs.ticker")
    expect(zh_page.locator("#kind-select option[value='jobs.ticker']")).to_have_text("计步器 (jobs.ticker)")
    form = zh_page.locator('form[data-kind="jobs.ticker"]')
    expect(form.get_by_text("要报告的进度步数。")).to_be_visible()
    expect(form.get_by_role("button", name=re.compile("示例"))).to_be_visible()  # CONTRACT "Forms": 示例 in Chinese
    form.get_by_label("步数").fill("8")
    form.get_by_label("间隔（毫秒）").fill("80")
    with zh_page.expect_response(lambda r: r.url.endswith("/api/jobs/") and r.request.method == "POST") as created:
        form.get_by_role("button", name="提交任务").click()
    job_id = created.value.json()["id"]
    card = zh_page.locator(f'article.job-card[data-job-id="{job_id}"]')
    expect(card.locator(".badge")).to_have_text("成功")
    expect(card).to_have_attribute("data-status", "success")  # the code stays for scripts and CSS
    expect(card.locator(".job-elapsed")).to_contain_text("用时")
    expect(card.locator(".job-created")).to_contain_text(re.compile("刚刚|秒"))
    shot(zh_page, web, "dashboard-zh.png")


def test_a_chinese_and_an_english_viewer_see_the_same_job_each_in_their_language(
        zh_page: Page, page: Page, web: LiveStack):
    job = web.submit(params={"steps": 30, "interval_ms": 150})
    ready(zh_page, f"/jobs/{job['id']}/")
    ready(page, f"/jobs/{job['id']}/")
    # Both live while the job runs: the same stored events, rendered per viewer.
    expect(zh_page.locator("#job-stages .stage-name").first).to_be_visible()
    expect(zh_page.locator("#job-stages .stage-name[data-stage='ticking']")).to_have_text("计步中")
    expect(page.locator("#job-stages .stage-name[data-stage='ticking']")).to_have_text("ticking")
    expect(zh_page.locator('.tl-row[data-event="progress"] .tl-text').last).to_contain_text(
        re.compile(r"第 \d+ 步，共 30 步"))
    expect(page.locator('.tl-row[data-event="progress"] .tl-text').last).to_contain_text(re.compile(r"step \d+ of 30"))
    expect(zh_page.locator(".job-card .badge")).to_have_text("成功")
    expect(page.locator(".job-card .badge")).to_have_text("success")
    expect(zh_page.locator('.tl-row[data-event="stage"] .tl-text')).to_have_text("计步中 — 共 30 步")
    expect(page.locator('.tl-row[data-event="stage"] .tl-text')).to_have_text("ticking — 30 steps")
    expect(zh_page.locator("#job-meta")).to_contain_text("队列")
    expect(zh_page.locator("#timeline-count")).to_have_text(re.compile(r"^\d+ 个事件$"))
    # The wire stays English (REST/WS), whoever watches.
    assert [e["message"] for e in web.events(job["id"]) if e["event"] == "stage"] == ["30 steps"]
    shot(zh_page, web, "job-zh.png")


def test_the_header_switcher_changes_the_language_and_stays_on_the_page(zh_page: Page, web: LiveStack):
    job = web.submit(params={"steps": 1, "interval_ms": 0})
    ready(zh_page, f"/jobs/{job['id']}/")
    zh_page.select_option("#lang-select", "en")
    expect(zh_page).to_have_url(f"{web.base}/jobs/{job['id']}/")
    expect(zh_page.locator("html")).to_have_attribute("lang", "en")
    expect(zh_page.get_by_role("heading", name="Timeline")).to_be_visible()
    zh_page.select_option("#lang-select", "zh-hans")
    expect(zh_page.get_by_role("heading", name="时间线")).to_be_visible()


def test_the_admin_job_list_in_chinese_follows_a_job_live(browser: Browser, web: LiveStack):
    """Model, field, filter and action names in Chinese; a running job's status cell turns 成功 live."""
    ctx = browser.new_context(base_url=web.base, locale="zh-CN", viewport={"width": 1280, "height": 860})
    ctx.set_default_timeout(TIMEOUT_MS)
    try:
        page = ctx.new_page()
        log_in(page, web, "root")
        for params in ({"steps": 3, "interval_ms": 10}, {"steps": 3, "interval_ms": 10, "fail_at": 2}):
            web.wait_job(web.submit(params=params)["id"])
        running = web.submit(params={"steps": 40, "interval_ms": 150})
        page.goto("/admin/jobs/job/")
        expect(page.locator("#content h1")).to_have_text("选择 任务 来修改")
        expect(page.locator("#changelist-filter")).to_contain_text("状态")
        expect(page.locator("select[name=action]")).to_contain_text("取消所选任务")
        expect(page.locator("#result_list thead")).to_contain_text("类型")
        expect(page.locator("#result_list")).to_contain_text("失败")
        row = page.locator(f'input.action-select[value="{running["id"]}"]').locator("xpath=ancestor::tr")
        expect(row.locator("td.field-stage_title")).to_have_text("计步中")  # the stage's title, not its code
        expect(row.locator("td.field-status")).to_have_text("成功")  # pushed on /ws/jobs/, said from /jsi18n/
        shot(page, web, "admin-jobs-zh.png")
    finally:
        ctx.close()
