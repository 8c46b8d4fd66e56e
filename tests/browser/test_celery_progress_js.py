"""celery-progress's own JavaScript (from its PyPI package) drives its bars to 100% against Jobcast.

The page is one of the live stack's, so the script's `fetch` and WebSocket carry alice's session
exactly as on a real celery-progress page.
"""
from __future__ import annotations

from pathlib import Path

import celery_progress
from playwright.sync_api import expect

STATIC = Path(celery_progress.__file__).parent / "static" / "celery_progress"

BARS = """
document.body.insertAdjacentHTML("beforeend", `
  <div id="http-wrapper"><div id="http-bar" style="width: 0%">&nbsp;</div></div>
  <div id="http-message"></div><div id="http-result"></div>
  <div id="ws-wrapper"><div id="ws-bar" style="width: 0%">&nbsp;</div></div>
  <div id="ws-message"></div><div id="ws-result"></div>`);
"""


def start_bars(page, http_task: str, ws_task: str) -> None:
    page.evaluate(BARS)
    page.add_script_tag(content=(STATIC / "celery_progress.js").read_text())
    page.add_script_tag(content=(STATIC / "websockets.js").read_text())
    page.evaluate("""([httpTask, wsTask]) => {
        CeleryProgressBar.initProgressBar(`/celery-progress/${httpTask}/`, {
            progressBarId: "http-bar", progressBarMessageId: "http-message", resultElementId: "http-result",
            pollInterval: 100});
        CeleryWebSocketProgressBar.initProgressBar(`/ws/progress/${wsTask}/`, {
            progressBarId: "ws-bar", progressBarMessageId: "ws-message", resultElementId: "ws-result"});
    }""", [http_task, ws_task])


def test_celery_progress_bars_reach_100_percent_over_http_and_websocket(web, page):
    page.goto("/")
    first = web.submit(params={"steps": 12, "interval_ms": 150})
    second = web.submit(params={"steps": 12, "interval_ms": 150})
    start_bars(page, first["task_id"], second["task_id"])
    for name in ("http", "ws"):
        expect(page.locator(f"#{name}-message")).to_contain_text(" of 12 processed. step ")
    for name in ("http", "ws"):
        expect(page.locator(f"#{name}-bar")).to_have_attribute("style", "width: 100%; background-color: rgb(118, 206, 96);")
        expect(page.locator(f"#{name}-message")).to_have_text("Success! ")
        expect(page.locator(f"#{name}-result")).to_contain_text("[object Object]")


def test_a_failing_job_turns_the_bar_red_with_the_reason(web, page):
    page.goto("/")
    first = web.submit(params={"steps": 6, "interval_ms": 50, "fail_at": 4})
    second = web.submit(params={"steps": 6, "interval_ms": 50, "fail_at": 4})
    start_bars(page, first["task_id"], second["task_id"])
    for name in ("http", "ws"):
        expect(page.locator(f"#{name}-message")).to_have_text("Uh-Oh, something went wrong! ")
        expect(page.locator(f"#{name}-result")).to_have_text("failed at step 4 as asked (fail_at=4)")
