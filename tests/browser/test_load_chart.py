"""The job page's live load-test chart (apps/testing's result-views.js) and the web-test steps, in real Chromium.

The load test's target is a threaded http.server on loopback in this process; the LiveStack's
worker (another process on this machine) sends the load to it.
"""
from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Page, expect

from livestack.stack import LiveStack, wait_until

CHART = "#job-live svg.perf-chart"
POINTS_JS = """() => {
  const d = document.querySelector('#job-live path[data-series="rps"]')?.getAttribute("d") || "";
  return {points: (d.match(/[ML]/g) || []).length, status: document.querySelector(".job-card .badge")?.textContent};
}"""


class Target(BaseHTTPRequestHandler):
    """/ok answers 200, anything else 500 (a failure by Locust's rule)."""

    def do_GET(self):  # noqa: N802 (http.server's name)
        body = b"OK" if self.path == "/ok" else b"nope"
        self.send_response(200 if self.path == "/ok" else 500)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def target() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Target)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def api(web: LiveStack, path: str, body: dict, status: int) -> dict:
    with web.client("alice") as c:
        r = c.post(path, json=body)
    assert r.status_code == status, r.text
    return r.json()


def start_load_test(web: LiveStack, target: str, run_time: int) -> tuple[int, str]:
    scenario = api(web, "/api/v1/perf-test/scenarios/", {
        "name": "chart", "base_url": target, "think_time_ms": [5, 20],
        "requests": [{"name": "home", "method": "GET", "path": "/ok", "weight": 3},
                     {"name": "broken", "method": "GET", "path": "/fail", "weight": 1}]}, 201)
    run = api(web, f"/api/v1/perf-test/scenarios/{scenario['id']}/run",
              {"user_count": 3, "spawn_rate": 3, "run_time": run_time}, 202)
    return scenario["id"], run["job_id"]


def open_job(page: Page, job_id: str) -> None:
    page.goto(f"/jobs/{job_id}/")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")


def test_load_test_chart_grows_live_and_ends_with_the_final_figures(page: Page, web: LiveStack, target: str):
    _, job_id = start_load_test(web, target, run_time=5)
    open_job(page, job_id)
    chart = page.locator(CHART)
    expect(chart).to_have_attribute("role", "img")

    samples: list[dict] = []

    def finished() -> bool:
        samples.append(page.evaluate(POINTS_JS))
        return samples[-1]["status"] in ("success", "failure", "revoked")

    wait_until(finished, timeout=60, interval=0.1, what="the load test to finish on the page")
    running = sorted({s["points"] for s in samples if s["status"] == "started" and s["points"]})
    assert len(running) >= 2, f"the chart did not gain points while the run went on: {samples}"

    expect(page.locator(".job-card .badge")).to_have_text("success")
    result = web.job(job_id)["result"]
    stats, series = result["stats"], result["series"]
    assert stats["failures"] > 0 and stats["requests"] > stats["failures"]
    # The final state draws the result's complete series (it adds the last partial second) and totals.
    expect(chart).to_have_attribute("data-points", str(len(series)))
    expect(chart).to_have_attribute("aria-label", re.compile(
        rf"^Load test finished after .* s: {stats['requests']} requests and {stats['failures']} failures in total, "
        r".* requests/s on average, latency p50 .* ms, p95 .* ms, p99 .* ms\.$"))
    live = [e for e in web.events(job_id) if e["event"] == "progress"]
    assert len(series) >= len(live) >= 2
    for name in ("rps", "fps", "p50_ms", "p95_ms", "p99_ms", "users"):
        assert page.locator(f'#job-live path[data-series="{name}"]').get_attribute("d").startswith("M")
    expect(page.locator("#job-live .chart-legend [data-latest=users]")).to_have_text(str(series[-1]["users"]))
    expect(page.locator("#job-live .perf-table caption")).to_have_text("Per request, whole run")
    rows = page.locator("#job-live .perf-table tbody tr")
    expect(rows).to_have_count(2)
    broken = next(row for row in result["table"] if row["name"] == "broken")
    expect(rows.filter(has_text="broken").locator("td").nth(1)).to_have_text(str(broken["failures"]))
    expect(page.locator('#job-result .perf-totals [data-stat="Requests"]')).to_have_text(str(stats["requests"]))


def test_stopped_load_test_keeps_its_chart_from_its_events(page: Page, web: LiveStack, target: str):
    scenario_id, job_id = start_load_test(web, target, run_time=60)
    open_job(page, job_id)
    page.wait_for_function("() => +document.querySelector('#job-live svg.perf-chart')?.dataset.points >= 2", timeout=60_000)
    api(web, f"/api/v1/perf-test/scenarios/{scenario_id}/stop", {}, 202)
    expect(page.locator(".job-card .badge")).to_have_text("revoked")
    chart = page.locator(CHART)
    expect(chart).to_have_attribute("aria-label", re.compile(r"^Load test stopped at "))
    expect(page.locator("#result-panel")).to_be_hidden()  # a revoked job has no result: the chart is all there is

    web.wait_job(job_id)
    stored = wait_until(lambda: len([e for e in web.events(job_id) if e["event"] == "progress"]), what="progress events")
    page.reload()  # on load, from the stored events alone
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    expect(chart).to_have_attribute("data-points", str(stored))
    expect(chart).to_have_attribute("aria-label", re.compile(r"^Load test stopped at .* in total\.$"))
    expect(page.locator("#job-live .perf-table tbody tr")).to_have_count(2)


def test_web_test_result_lists_its_steps_with_pass_and_fail(page: Page, web: LiveStack, target: str):
    script = api(web, "/api/v1/web-test/scripts/", {"name": "two steps", "base_url": target, "steps": [
        {"name": "home", "method": "GET", "path": "/ok", "expect": {"status": 200, "body_contains": "OK"}},
        {"name": "broken", "method": "GET", "path": "/fail", "expect": {"status": 200}}]}, 201)
    run = api(web, f"/api/v1/web-test/scripts/{script['id']}/run", {}, 202)
    web.wait_job(run["job_id"])
    open_job(page, run["job_id"])
    expect(page.locator("#job-result .web-verdict")).to_have_text("1 passed, 1 failed of 2 steps")
    rows = page.locator("#job-result .web-steps tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator(".verdict")).to_have_text("pass")
    expect(rows.nth(1).locator(".verdict")).to_have_text("fail")
    expect(rows.nth(1).locator(".step-error")).to_have_text("status: expected 200, got 500")
    expect(page.locator("#live-panel")).to_be_hidden()
