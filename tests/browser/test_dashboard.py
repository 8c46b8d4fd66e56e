"""The live dashboard in real Chromium against the real stack (daphne, Celery worker, Redis)."""
from __future__ import annotations

import os
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from livestack.stack import LiveStack

ROOT = Path(__file__).resolve().parents[2]
# The docs' copy is refreshed only on request (JOBCAST_UPDATE_SCREENSHOTS=1), so a test run
# never leaves a tracked file modified; otherwise the picture goes to the stack's temp dir.
DOCS_SCREENSHOT = ROOT / "docs" / "screenshots" / "dashboard.png"


def card(page: Page, job_id: str):
    return page.locator(f'article.job-card[data-job-id="{job_id}"]')


def submit_ticker(page: Page, **fields: str) -> str:
    """Fill the generated jobs.ticker form and submit it; returns the new job's id."""
    page.select_option("#kind-select", "jobs.ticker")
    form = page.locator('form[data-kind="jobs.ticker"]')
    for name, value in fields.items():
        form.locator(f'[name="{name}"]').fill(value)
    with page.expect_response(lambda r: r.url.endswith("/api/jobs/") and r.request.method == "POST") as created:
        form.get_by_role("button", name="Submit job").click()
    assert created.value.status == 201, created.value.text()
    return created.value.json()["id"]


def open_dashboard(page: Page) -> None:
    page.goto("/")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    expect(page.locator("#conn")).to_have_attribute("data-state", "live")


def test_login_form_leads_to_the_dashboard(browser, web: LiveStack, console):
    ctx = browser.new_context(base_url=web.base)
    page = ctx.new_page()
    page.on("console", lambda m: console.record(m.text) if m.type == "error" else None)
    page.goto("/")
    expect(page).to_have_url(f"{web.base}/accounts/login/?next=/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".form-error")).to_be_visible()
    page.get_by_label("Password").fill("alice-password")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{web.base}/")
    expect(page.get_by_role("heading", name="Your jobs")).to_be_visible()
    ctx.close()
    assert console.unexpected() == []


def test_ticker_from_the_form_reaches_100_percent_live(page: Page, web: LiveStack):
    open_dashboard(page)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    job_id = submit_ticker(page, steps="25", interval_ms="120")
    job = card(page, job_id)
    expect(job).to_be_visible()
    bar = job.get_by_role("progressbar")
    expect(job.locator(".badge")).to_have_text("started")
    expect(bar).not_to_have_attribute("aria-valuenow", "0")
    expect(job.locator(".job-eta")).to_contain_text("ETA")
    expect(bar).to_have_attribute("aria-valuenow", "100")
    expect(job.locator(".badge")).to_have_text("success")
    expect(job.locator(".pct")).to_have_text("100%")
    expect(job.locator(".job-elapsed")).to_contain_text("Took")
    # Live over the feed socket: no polling of the job or its events while it ran.
    assert not [u for u in requests if f"/api/jobs/{job_id}/" in u], requests


def test_api_validation_error_is_shown_beside_the_field(page: Page, console):
    console.allow(r"status of 400 \(Bad Request\)")  # Chromium logs the API's expected answer
    open_dashboard(page)
    page.select_option("#kind-select", "jobs.ticker")
    form = page.locator('form[data-kind="jobs.ticker"]')
    form.locator('[name="steps"]').fill("3")
    form.locator('[name="fail_at"]').fill("9")
    form.get_by_role("button", name="Submit job").click()
    field = form.locator('.field[data-field="fail_at"]')
    expect(field.locator(".field-error")).to_contain_text("must not be greater than steps")
    expect(field.locator("input")).to_have_attribute("aria-invalid", "true")
    expect(form.locator('[name="fail_at"]')).to_be_focused()


def test_failing_job_shows_its_error_on_the_card_and_the_job_page(page: Page):
    open_dashboard(page)
    job_id = submit_ticker(page, steps="5", interval_ms="50", fail_at="3")
    job = card(page, job_id)
    expect(job.locator(".badge")).to_have_text("failure")
    expect(job.locator(".job-message")).to_contain_text("failed at step 3 as asked")
    expect(job.get_by_role("button", name="Retry")).to_be_visible()
    job.get_by_role("link").click()
    expect(page).to_have_url(f"{page.url.split('/jobs/')[0]}/jobs/{job_id}/")
    error = page.locator("#error-panel")
    expect(error).to_be_visible()
    expect(error.locator(".error-type")).to_have_text("TickerFailure")
    expect(error).to_contain_text("failed at step 3 as asked (fail_at=3)")
    expect(page.locator('.tl-row[data-event="failure"]')).to_have_count(1)


def test_cancel_a_running_job_from_its_card(page: Page, web: LiveStack):
    open_dashboard(page)
    job_id = submit_ticker(page, steps="200", interval_ms="100")
    job = card(page, job_id)
    expect(job.locator(".badge")).to_have_text("started")
    job.get_by_role("button", name="Cancel").click()
    expect(job.locator(".badge")).to_have_text("revoked")
    expect(job.get_by_role("button", name="Cancel")).to_be_hidden()
    expect(job.get_by_role("button", name="Retry")).to_be_visible()
    assert web.job(job_id)["status"] == "revoked"


def test_job_submitted_elsewhere_appears_without_reload(page: Page, web: LiveStack):
    open_dashboard(page)
    job = web.submit(params={"steps": 3, "interval_ms": 10})
    expect(card(page, job["id"]).locator(".badge")).to_have_text("success")
    first = page.locator("#job-list > li").first.locator("article")
    expect(first).to_have_attribute("data-job-id", job["id"])


def test_phone_width_has_no_horizontal_scroll(page: Page, web: LiveStack):
    page.set_viewport_size({"width": 375, "height": 740})
    web.submit(params={"steps": 2, "interval_ms": 10})
    open_dashboard(page)
    expect(page.locator("#job-list article").first).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    # The form is reachable and usable by keyboard alone.
    page.locator("#kind-select").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "steps"


def test_dashboard_screenshot_for_the_docs(page: Page, web: LiveStack):
    """Runs last: earlier tests left finished, failed and cancelled jobs; one more is mid-way."""
    running = web.submit(params={"steps": 60, "interval_ms": 100})
    page.set_viewport_size({"width": 1280, "height": 900})
    open_dashboard(page)
    bar = card(page, running["id"]).get_by_role("progressbar")
    expect(bar).to_have_attribute("aria-valuenow", re.compile(r"^(2[5-9]|[3-6]\d)(\.\d)?$"))
    target = DOCS_SCREENSHOT if os.environ.get("JOBCAST_UPDATE_SCREENSHOTS") else web.dir / "dashboard.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target))
    assert target.stat().st_size > 10_000
    web.wait_job(running["id"])
