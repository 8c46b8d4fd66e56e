"""The public JS client (/static/jobcast/client.js) in Chromium, against the real stack.

Each transport follows a running job through a daphne restart: every stored seq arrives once,
in order, and onEnd is called once with the final job. With the WebSocket blocked, "auto" falls
back to SSE.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from livestack.stack import LiveStack
from tests.browser.test_reconnect import NETWORK_NOISE, restart_daphne

FOLLOW = """async ([jobId, transport]) => {
  const { JobcastClient } = await import("/static/jobcast/client.js");
  const log = window.__follow = { events: [], ends: [], states: [], transports: [] };
  const client = new JobcastClient({ transport, baseMs: 200, maxMs: 1000 });
  client.follow(jobId, {
    onSnapshot: (job) => log.snapshot = job,
    onEvent: (event) => log.events.push(event.seq),
    onEnd: (job) => log.ends.push(job),
    onConnection: (state, info) => { log.states.push(state); if (state === "live") log.transports.push(info.transport); },
  });
}"""


def follow(page: Page, web: LiveStack, job_id: str, transport: str) -> None:
    page.goto("/api/health/")
    page.evaluate(FOLLOW, [job_id, transport])


def ended(page: Page) -> dict:
    page.wait_for_function("() => window.__follow.ends.length > 0", timeout=90_000)
    return page.evaluate("() => window.__follow")


@pytest.mark.parametrize("transport", ["websocket", "sse"])
def test_follow_survives_a_daphne_restart_each_seq_once_and_on_end_once(page: Page, web: LiveStack, console,
                                                                         transport):
    for noise in (*NETWORK_NOISE, r"Failed to load resource", r"ERR_NETWORK_CHANGED"):
        console.allow(noise)
    job = web.submit(params={"steps": 40, "interval_ms": 150, "output": True})
    follow(page, web, job["id"], transport)
    page.wait_for_function("() => window.__follow.events.length >= 5")
    restart_daphne(web)
    log = ended(page)
    stored = [e["seq"] for e in web.events(job["id"])]
    assert log["events"] == stored, "each stored event once, in seq order, across the restart"
    assert len(log["ends"]) == 1
    final = log["ends"][0]
    assert final["status"] == "success" and final["result"]["steps"] == 40 and final["seq"] == stored[-1]
    assert "reconnecting" in log["states"] and log["states"][-1] == "closed"
    assert set(log["transports"]) == {transport}


def test_auto_falls_back_to_sse_when_the_websocket_fails(page: Page, web: LiveStack, console):
    console.allow(r"WebSocket connection to .* failed")
    page.route_web_socket(re.compile(r"/ws/jobs/"), lambda ws: ws.close(code=4000, reason="blocked by the test"))
    job = web.submit(params={"steps": 10, "interval_ms": 100})
    follow(page, web, job["id"], "auto")
    log = ended(page)
    assert log["events"] == [e["seq"] for e in web.events(job["id"])]
    assert log["transports"] == ["sse"] and len(log["ends"]) == 1


def test_job_page_shows_the_output_growing_live(page: Page, web: LiveStack):
    from playwright.sync_api import expect

    from tests.browser.test_job_page import open_job

    # 40 steps over ~16 s: long enough that a page opened on a loaded machine still sees it run.
    job = web.submit(params={"steps": 40, "interval_ms": 400, "output": True})
    open_job(page, job["id"])
    output = page.locator("#job-output")
    expect(output).to_contain_text("step 2 of 40", timeout=30_000)
    assert web.job(job["id"])["status"] != "success", "the output must be seen while the job runs"
    expect(page.locator(".job-card .badge")).to_have_text("success", timeout=90_000)
    with web.client() as c:
        whole = c.get(f"/api/jobs/{job['id']}/output/").text
    assert whole == "".join(f"step {i} of 40\n" for i in range(1, 41))
    expect(output).to_have_text(whole)


EVENTSOURCE = """(jobId) => {
  const log = window.__es = { seqs: [], ids: [], snapshots: 0, done: false };
  const source = new EventSource(`/api/jobs/${jobId}/stream/`);
  source.addEventListener("snapshot", () => { log.snapshots += 1; });
  const take = (m) => { const e = JSON.parse(m.data); log.seqs.push(e.seq); log.ids.push(Number(m.lastEventId)); return e; };
  for (const type of ["pending", "started", "stage", "progress", "log", "output", "retry"]) source.addEventListener(type, take);
  for (const type of ["success", "failure", "revoked"]) {
    source.addEventListener(type, (m) => { take(m); source.close(); log.done = true; });
  }
}"""


def test_a_plain_eventsource_resumes_by_itself_with_last_event_id(page: Page, web: LiveStack, console):
    for noise in (*NETWORK_NOISE, r"Failed to load resource", r"EventSource"):
        console.allow(noise)
    job = web.submit(params={"steps": 40, "interval_ms": 150})
    page.goto("/api/health/")
    page.evaluate(EVENTSOURCE, job["id"])
    page.wait_for_function("() => window.__es.seqs.length >= 5")
    restart_daphne(web)
    page.wait_for_function("() => window.__es.done", timeout=90_000)
    log = page.evaluate("() => window.__es")
    stored = [e["seq"] for e in web.events(job["id"])]
    assert log["seqs"] == stored and log["ids"] == stored
    assert log["snapshots"] >= 2, "the browser reconnected (a snapshot per connection)"
