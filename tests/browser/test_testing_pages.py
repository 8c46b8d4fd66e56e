"""The web-test and load-test pages (/tests/…) in real Chromium against the real stack (issue 16):
a script written in the step editor, saved, run and followed live; edited (reorder, remove);
a scenario from "Use the example" run to success with its stats table; Chinese labels.

With JOBCAST_SCREENSHOTS=1 the tests also save the pages at desktop and phone width, English and
Chinese, in docs/screenshots/ (testing-*.png).
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from livestack.stack import LiveStack
from tests.browser.test_result_views import SlowTarget, slow_target  # noqa: F401 (a fixture)

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


def shots(page: Page, name: str, visible: str) -> None:
    """Save the page at both widths (only with JOBCAST_SCREENSHOTS=1), reloaded at each width."""
    if os.environ.get("JOBCAST_SCREENSHOTS") != "1":
        return
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        ready(page, page.url)
        expect(page.locator(visible).first).to_be_visible()
        page.evaluate("document.fonts.ready")
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 720})


def ready(page: Page, url: str) -> None:
    """Open a page; an editor or a detail page is ready once its module has run (the lists have none)."""
    page.goto(url)
    if "/new/" in url or "/edit/" in url or url.rstrip("/").rsplit("/", 1)[-1].isdigit():
        expect(page.locator("body")).to_have_attribute("data-ready", "true")


def row(page: Page, i: int):
    return page.locator("#editor-root .rows > li").nth(i)


def step_names(page: Page) -> list[str]:
    """The rows' names in their order on the page (a move or remove is done when its click returns)."""
    return page.locator("#editor-root .rows .field-name input").evaluate_all("els => els.map((e) => e.value)")


def fill_step(page: Page, i: int, name: str, path: str, status: str = "") -> None:
    step = row(page, i)
    step.locator(".field-name input").fill(name)
    step.locator(".field-path input").fill(path)
    step.locator(".field-expect-status input").fill(status)


def test_a_script_from_the_step_editor_runs_live_and_its_edit_is_saved(page: Page, web: LiveStack, console,
                                                                       slow_target: str):  # noqa: F811
    ready(page, "/tests/scripts/")
    page.get_by_role("link", name="New script").click()
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    page.locator(".editor-top .field-name input").fill("two steps")
    page.locator(".editor-top .field-base_url input").fill(slow_target)
    fill_step(page, 0, "home", "/ok", "200")
    page.get_by_role("button", name="Add a step").click()
    expect(page.locator("#editor-root .rows > li")).to_have_count(2)
    fill_step(page, 1, "slow", "slow", "200")  # no leading slash: the API refuses it, beside the field

    console.allow(r"status of 400")
    with page.expect_response(lambda r: r.request.method == "POST" and "/web-test/scripts/" in r.url) as refused:
        page.get_by_role("button", name="Save").click()
    assert refused.value.status == 400
    error = row(page, 1).locator(".field-path .field-error")
    expect(error).to_contain_text("must start with a single '/'")
    expect(row(page, 1).locator(".field-path input")).to_have_attribute("aria-invalid", "true")
    expect(row(page, 1).locator(".field-path input")).to_be_focused()

    row(page, 1).locator(".field-path input").fill("/slow")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/tests/scripts/\d+/$"))
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    script_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    expect(page.locator("#step-summary tbody tr")).to_have_count(2)
    expect(page.locator("#runs-empty")).to_be_visible()

    page.get_by_role("button", name="Run", exact=True).click()
    live_rows = page.locator("#run-live .web-steps tbody tr")
    expect(live_rows).to_have_count(1)  # step 1 done, step 2 held by the target
    expect(page.locator("#run-live .web-steps caption")).to_have_text("1 of 2 steps run")
    expect(live_rows.nth(0).locator(".verdict")).to_have_text("pass")
    expect(page.locator("#run-status .badge")).to_have_text("started")
    expect(page.get_by_role("button", name="Run", exact=True)).to_be_disabled()
    SlowTarget.release.set()
    expect(page.locator("#run-status .badge")).to_have_text("success")
    rows = page.locator("#run-result .web-steps tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.locator(".verdict")).to_have_text(["pass", "pass"])
    expect(page.locator("#run-result .web-verdict")).to_have_text("2 passed, 0 failed of 2 steps")
    expect(page.locator("#run-live")).to_be_hidden()
    expect(page.locator("#runs-table tbody tr")).to_have_count(1)
    expect(page.locator("#runs-table tbody tr .verdict")).to_have_text("2 passed, 0 failed")
    shots(page, "testing-script", "#run-result .web-steps")

    page.get_by_role("link", name="Edit").click()
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    expect(page.locator("#editor-root .rows > li")).to_have_count(2)
    page.get_by_role("button", name="Add a step").click()
    fill_step(page, 2, "again", "/ok", "200")
    page.get_by_role("button", name="Move step 3 up").click()
    assert step_names(page) == ["home", "again", "slow"]
    page.get_by_role("button", name="Remove step 1").click()
    assert step_names(page) == ["again", "slow"]
    expect(row(page, 0).locator("legend")).to_have_text("Step 1")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{web.base}/tests/scripts/{script_id}/")
    expect(page.locator("#step-summary tbody th")).to_have_text(["again", "slow"])
    with web.client("alice") as c:
        saved = c.get(f"/api/v1/web-test/scripts/{script_id}/").json()
    assert [s["name"] for s in saved["steps"]] == ["again", "slow"]
    if os.environ.get("JOBCAST_SCREENSHOTS") == "1":
        ready(page, f"/tests/scripts/{script_id}/edit/")
        shots(page, "testing-editor", "#editor-root .rows")
    ready(page, "/tests/scripts/")
    listed = page.locator(f'#script-list tr[data-id="{script_id}"]')
    expect(listed.locator(".badge")).to_have_text("passed")
    shots(page, "testing-list", "#script-list")


def test_a_scenario_from_the_example_runs_to_success_with_its_stats_table(page: Page, web: LiveStack, console):
    ready(page, "/tests/scenarios/new/")
    page.get_by_role("button", name="Use the example").click()
    expect(page.locator(".editor-top .field-base_url input")).to_have_value(web.base)
    expect(page.locator("#editor-root .rows > li")).to_have_count(1)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/tests/scenarios/\d+/$"))
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    expect(page.locator("#request-summary tbody tr")).to_have_count(1)

    console.allow(r"status of 400")
    page.get_by_label("Run time").fill("2x")
    page.get_by_role("button", name="Run", exact=True).click()
    expect(page.locator("#run-run_time-error")).to_contain_text("must be seconds")
    expect(page.get_by_label("Run time")).to_have_attribute("aria-invalid", "true")

    page.get_by_label("Run time").fill("3s")
    page.get_by_role("button", name="Run", exact=True).click()
    expect(page.locator("#run-live svg.perf-chart")).to_be_visible()
    expect(page.locator("#run-status .badge")).to_have_text("success", timeout=120_000)
    expect(page.locator('#run-live .perf-table tr[data-name="health"]')).to_be_visible()
    expect(page.locator("#run-live .perf-table caption")).to_have_text("Per request, whole run")
    totals = page.locator("#run-result .perf-totals")
    expect(totals).to_be_visible()
    requests = int(totals.locator('dd[data-stat="Requests"]').inner_text())
    assert requests > 0
    run_row = page.locator("#runs-table tbody tr")
    expect(run_row).to_have_count(1)
    expect(run_row.locator(".badge")).to_have_text("success")
    expect(run_row).to_contain_text("3 users")
    shots(page, "testing-scenario", "#run-result .perf-totals")


def test_the_pages_speak_chinese_for_a_chinese_browser(browser: Browser, web: LiveStack, alice_state: dict):
    context = browser.new_context(base_url=web.base, storage_state=alice_state, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        ready(page, "/tests/scripts/new/")
        expect(page.get_by_role("link", name="测试", exact=True)).to_be_visible()
        expect(page.get_by_role("heading", level=1)).to_have_text("新建网页测试脚本")
        expect(page.get_by_role("button", name="添加步骤")).to_be_visible()
        expect(page.get_by_role("button", name="保存")).to_be_visible()
        expect(row(page, 0).locator(".field-path label")).to_have_text(re.compile("路径"))
        page.get_by_role("button", name="使用示例").click()
        expect(page.locator("#editor-root .rows > li")).to_have_count(2)
        expect(row(page, 1).locator("legend")).to_have_text("步骤 2")
        shots(page, "testing-editor-zh", "#editor-root .rows")
        ready(page, "/tests/scenarios/")
        expect(page.get_by_role("heading", level=1)).to_have_text("压力测试场景")
        scenario = page.locator("#scenario-list tbody tr th a").first
        if scenario.count():  # the scenario page of an earlier test, in Chinese
            scenario.click()
            expect(page.locator("body")).to_have_attribute("data-ready", "true")
            expect(page.get_by_label("运行时长")).to_be_visible()
            expect(page.get_by_role("heading", name="运行记录")).to_be_visible()
            shots(page, "testing-scenario-zh", "#run-result .perf-totals")
        assert errors == []
    finally:
        context.close()


@pytest.fixture(autouse=True)
def _released():
    """A held step never outlives its test."""
    yield
    SlowTarget.release.set()
