"""The dashboard's job list at scale: filters, id search, and bulk cancel/retry with a confirm step."""
from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Page, expect

from livestack.stack import LiveStack

LONG = {"steps": 400, "interval_ms": 250}


SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def screenshots(page: Page, name: str) -> None:
    """With JOBCAST_SCREENSHOTS=1, the page as it is at desktop and phone width (no reload: the selection stays)."""
    if os.environ.get("JOBCAST_SCREENSHOTS") != "1":
        return
    for label, (width, height) in {"desktop": (1280, 900), "phone": (390, 844)}.items():
        page.set_viewport_size({"width": width, "height": height})
        page.locator(".joblist-controls").scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"))
    page.set_viewport_size({"width": 1280, "height": 900})


def open_dashboard(page: Page) -> None:
    page.goto("/")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")


def card(page: Page, job_id: str):
    return page.locator(f'article.job-card[data-job-id="{job_id}"]')


def test_filters_narrow_the_list_and_bulk_cancel_then_retry_the_selected_jobs(page: Page, web: LiveStack):
    done = web.wait_job(web.submit(params={"steps": 2, "interval_ms": 10})["id"])
    running = [web.submit(params=LONG) for _ in range(2)]
    for job in running:
        web.wait_job(job["id"], statuses=("started",), timeout=60)
    open_dashboard(page)
    expect(card(page, done["id"])).to_be_visible()

    page.select_option("#filter-status", "started")
    for job in running:
        expect(card(page, job["id"])).to_be_visible()
    expect(card(page, done["id"])).to_have_count(0)
    expect(page.locator("#jobs-count")).to_have_text("2")

    page.fill("#filter-q", running[0]["id"][:8])
    expect(card(page, running[0]["id"])).to_be_visible()
    expect(card(page, running[1]["id"])).to_be_hidden()
    page.fill("#filter-q", "")

    page.select_option("#filter-kind", "vision.analyze")
    expect(page.locator("#jobs-empty")).to_have_text("No jobs match these filters.")
    page.select_option("#filter-kind", "jobs.ticker")
    for job in running:
        page.check(f'input.job-select[data-job-id="{job["id"]}"]')
    expect(page.locator(".selection-count")).to_have_text("2 selected")
    page.get_by_role("button", name="Cancel selected (2)").click()
    confirm = page.locator(".bulk-confirm")
    expect(confirm).to_contain_text("Cancel 2 jobs?")
    screenshots(page, "dashboard-bulk")
    with page.expect_response(lambda r: r.url.endswith("/cancel/")):
        confirm.get_by_role("button", name="Yes, cancel them").click()
    expect(page.locator(".bulk-outcome")).to_have_text("Cancelled 2 jobs.")
    for job in running:
        assert web.wait_job(job["id"], statuses=("revoked",), timeout=60)["status"] == "revoked"
        expect(card(page, job["id"])).to_have_attribute("data-status", "revoked")

    for job in running:
        page.check(f'input.job-select[data-job-id="{job["id"]}"]')
    page.get_by_role("button", name="Retry selected (2)").click()
    expect(confirm).to_contain_text("Retry 2 jobs?")
    confirm.get_by_role("button", name="Yes, retry them").click()
    expect(page.locator(".bulk-outcome")).to_have_text("Retried 2 jobs.")
    for job in running:
        assert web.job(job["id"])["status"] in ("pending", "started")
        with web.client() as c:  # leave the worker free for the next test
            assert c.post(f"/api/jobs/{job['id']}/cancel/").status_code == 202


def test_a_full_job_id_finds_a_job_outside_the_loaded_pages(page: Page, web: LiveStack):
    old = web.wait_job(web.submit(params={"steps": 1, "interval_ms": 10})["id"])
    for _ in range(21):  # one page is 20 jobs: the first job is not on it
        web.submit(params={"steps": 1, "interval_ms": 10})
    open_dashboard(page)
    expect(page.locator("#job-list > li")).to_have_count(20)
    expect(card(page, old["id"])).to_have_count(0)
    page.fill("#filter-q", old["id"])
    expect(card(page, old["id"])).to_be_visible()
    expect(page.locator("#jobs-count")).to_have_text("1")
