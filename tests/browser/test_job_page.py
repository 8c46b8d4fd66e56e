"""The job page: snapshot, stages, timeline, result and error, cancel and retry, in real Chromium."""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from livestack.stack import LiveStack


def timeline_seqs(page: Page) -> list[int]:
    """Every seq the timeline shows (progress runs fold into one row that lists theirs)."""
    return [int(s) for row in page.locator("#job-timeline > li").all() for s in row.get_attribute("data-seqs").split()]


def open_job(page: Page, job_id: str) -> None:
    page.goto(f"/jobs/{job_id}/")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    expect(page.locator("#conn")).to_have_attribute("data-state", "live")


def test_finished_job_shows_stages_timeline_and_result_with_a_registered_view(page: Page, web: LiveStack):
    page.add_init_script("""
        window.Jobcast = {resultViews: {"jobs.ticker": (el, result) => {
            el.append(Object.assign(document.createElement("p"), {className: "ticker-view",
                textContent: `Counted ${result.steps} steps`}));
        }}};
    """)
    job = web.submit(params={"steps": 6, "interval_ms": 30})
    open_job(page, job["id"])
    expect(page.locator(".job-card .badge")).to_have_text("success")
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    expect(page.locator(".ticker-view")).to_have_text("Counted 6 steps")
    page.locator(".raw-json > summary").click()
    expect(page.locator("#job-result .json-key", has_text="elapsed_s")).to_be_visible()
    stage = page.locator("#job-stages li", has_text="ticking")
    expect(stage.locator(".stage-duration")).to_have_text(re.compile(r"\d"))
    expect(page.locator('.tl-row[data-event="success"]')).to_have_count(1)
    stored = [e["seq"] for e in web.events(job["id"])]
    assert timeline_seqs(page) == stored


def test_running_job_updates_live_and_can_be_cancelled(page: Page, web: LiveStack):
    job = web.submit(params={"steps": 300, "interval_ms": 100})
    open_job(page, job["id"])
    bar = page.get_by_role("progressbar")
    expect(bar).not_to_have_attribute("aria-valuenow", "0")
    expect(page.locator(".job-eta")).to_contain_text("ETA")
    page.get_by_role("button", name="Cancel").click()
    expect(page.locator(".job-card .badge")).to_have_text("revoked")
    expect(page.locator('.tl-row[data-event="revoked"]')).to_have_count(1)
    expect(page.get_by_role("button", name="Retry")).to_be_visible()
    web.wait_job(job["id"])
    expect(page.locator("#job-timeline > li").last).to_have_attribute("data-event", "revoked")
    assert timeline_seqs(page) == [e["seq"] for e in web.events(job["id"])]


def test_retry_of_a_failed_job_runs_a_second_attempt_on_the_same_page(page: Page, web: LiveStack):
    job = web.submit(params={"steps": 4, "interval_ms": 20, "fail_at": 2})
    web.wait_job(job["id"])
    open_job(page, job["id"])
    expect(page.locator("#error-panel .error-message")).to_contain_text("failed at step 2")
    page.get_by_role("button", name="Retry").click()
    expect(page.locator(".job-attempt")).to_have_text("Attempt 2")
    expect(page.locator('.tl-row[data-event="failure"]')).to_have_count(2)
    expect(page.locator("#job-stages li", has_text="attempt 2").first).to_be_visible()
    expect(page.locator("#error-panel")).to_be_visible()
    assert timeline_seqs(page) == [e["seq"] for e in web.events(job["id"])]


def test_another_users_job_is_a_404(page: Page, web: LiveStack, console):
    console.allow(r"status of 404")
    job = web.submit(params={"steps": 1, "interval_ms": 0}, user="bob")
    response = page.goto(f"/jobs/{job['id']}/")
    assert response.status == 404
