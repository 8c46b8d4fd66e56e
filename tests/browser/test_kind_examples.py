"""Every kind's "Example" button fills a form that runs as it is; diagnostics are staff-only."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from livestack.stack import LiveStack
from tests.browser.conftest import log_in, open_kind_form, run_example

KINDS = ["jobs.ticker", "ocr.extract", "vision.analyze", "media.script", "media.character_images",
         "media.audio", "media.video", "testing.web", "testing.perf"]


@pytest.mark.parametrize("kind", KINDS)
def test_the_example_of_each_kind_runs_to_success(page: Page, web: LiveStack, kind: str):
    job = run_example(page, web, kind)
    card = page.locator(f'article.job-card[data-job-id="{job["id"]}"]')
    expect(card).to_have_attribute("data-status", "success")


def test_a_user_sees_no_diagnostics_fields(page: Page):
    form = open_kind_form(page, "ocr.extract")
    expect(form.locator('[name="ocr_content"]')).to_be_visible()
    for name in ("fail_stage", "fail_times", "stage_pause_ms"):
        expect(form.locator(f'[name="{name}"]')).to_have_count(0)
    expect(form.locator("details.diagnostics")).to_have_count(0)


def test_staff_find_diagnostics_grouped_apart(browser, web: LiveStack):
    context = browser.new_context(base_url=web.base)
    page = context.new_page()
    log_in(page, web, "root")
    form = open_kind_form(page, "ocr.extract")
    group = form.locator("details.diagnostics")
    expect(group.locator("summary")).to_contain_text("Diagnostics")
    for name in ("fail_stage", "fail_times", "stage_pause_ms"):
        expect(group.locator(f'[name="{name}"]')).to_have_count(1)
    context.close()
