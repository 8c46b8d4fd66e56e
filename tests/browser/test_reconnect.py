"""Losing the socket: the page shows it, falls back (SSE, then polling), comes back, no duplicates.

The pages run on the public client (static/jobcast/client.js): the job page on follow(), the
dashboard on feed(). The dashboard reports each event it applies as a `jobcast:event` DOM event;
`record_events` collects them, so a test can check that each seq was shown once and in order.

Runs after the other browser tests (it restarts daphne on the same port).
"""
from __future__ import annotations

import os
import re
import signal

from playwright.sync_api import Page, WebSocketRoute, expect

from livestack.stack import LiveStack
from tests.browser.test_dashboard import card
from tests.browser.test_job_page import open_job, timeline_seqs

NETWORK_NOISE = (r"ERR_CONNECTION_REFUSED", r"WebSocket connection to .* failed", r"ERR_CONNECTION_RESET",
                 r"ERR_EMPTY_RESPONSE")


RECORD_EVENTS = """
window.__seen = [];
document.addEventListener("jobcast:event", (e) => window.__seen.push([e.detail.job_id, e.detail.seq]));
"""


def record_events(page: Page) -> None:
    page.add_init_script(RECORD_EVENTS)


def seen_seqs(page: Page, job_id: str) -> list[int]:
    """The seqs the dashboard applied for a job, in the order it applied them."""
    return [seq for jid, seq in page.evaluate("window.__seen") if jid == job_id]


def refuse_websockets(page: Page, blocked: dict) -> None:
    """While blocked["ws"], every WebSocket the page opens is closed by the test at once."""
    def route(ws: WebSocketRoute) -> None:
        if blocked["ws"]:
            ws.close(code=4000, reason="blocked by the test")
        else:
            ws.connect_to_server()

    page.route_web_socket(re.compile(r"/ws/"), route)


def restart_daphne(web: LiveStack, *, before_start=lambda: None) -> None:
    """Stop the one daphne (its whole process group) and start a new one on the same port."""
    proc, port = web.daphnes.pop(0), web.daphne_ports.pop(0)
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(30)
    before_start()
    web.start_daphne(port)


def test_page_recovers_from_a_daphne_restart_mid_job(page: Page, web: LiveStack, console):
    for noise in NETWORK_NOISE:
        console.allow(noise)
    job = web.submit(params={"steps": 50, "interval_ms": 150})
    open_job(page, job["id"])
    bar = page.get_by_role("progressbar")
    expect(bar).not_to_have_attribute("aria-valuenow", "0")
    conn = page.locator("#conn")

    restart_daphne(web, before_start=lambda: expect(conn).to_have_attribute("data-state", "reconnecting"))

    expect(conn).to_have_attribute("data-state", "live", timeout=60_000)
    expect(page.locator(".job-card .badge")).to_have_text("success", timeout=60_000)
    expect(bar).to_have_attribute("aria-valuenow", "100")
    web.wait_job(job["id"])
    stored = [e["seq"] for e in web.events(job["id"])]
    expect(page.locator(".tl-seq").last).to_have_text(f"#{stored[-1]}")
    seqs = timeline_seqs(page)
    assert seqs == stored, "the timeline must show each stored event exactly once"
    assert len(seqs) == len(set(seqs))


def test_socket_down_falls_back_to_polling_then_stops_polling_when_back(page: Page, web: LiveStack, console):
    """The dashboard with neither the WebSocket nor the SSE feed getting through: the client polls."""
    for noise in (r"WebSocket connection to .* failed", r"ERR_FAILED", r"ERR_ABORTED"):
        console.allow(noise)
    blocked = {"ws": True, "sse": True}
    refuse_websockets(page, blocked)
    page.route(re.compile(r"/api/jobs/stream/$"),
               lambda route: route.abort() if blocked["sse"] else route.continue_())
    record_events(page)
    job = web.submit(params={"steps": 80, "interval_ms": 150})
    polls: list[str] = []
    page.on("request", lambda r: polls.append(r.url) if f"/api/jobs/{job['id']}/events/?after=" in r.url else None)
    page.goto("/")
    conn = page.locator("#conn")
    expect(conn).to_have_attribute("data-polling", "true")
    expect(conn).not_to_have_attribute("data-state", "live")
    expect(conn).to_contain_text("polling")
    bar = card(page, job["id"]).get_by_role("progressbar")
    expect(bar).to_have_attribute("aria-valuenow", re.compile(r"^[1-9]"))  # moved by polling alone

    blocked["ws"] = blocked["sse"] = False
    expect(conn).to_have_attribute("data-state", "live", timeout=60_000)
    expect(conn).to_have_attribute("data-polling", "false")
    polls_when_live = len(polls)
    assert polls_when_live > 1
    expect(card(page, job["id"]).locator(".badge")).to_have_text("success", timeout=60_000)
    assert len(polls) <= polls_when_live + 1, "polling must stop once the socket is back (one may be in flight)"
    stored = [e["seq"] for e in web.events(job["id"])]
    seen = seen_seqs(page, job["id"])
    assert seen and seen == stored[seen[0] - 1:], "each seq after the first snapshot, once and in order"


def test_dashboard_works_over_sse_when_websockets_are_refused_and_across_a_daphne_restart(
        page: Page, web: LiveStack, console):
    for noise in (*NETWORK_NOISE, r"ERR_FAILED", r"ERR_ABORTED", r"ERR_INCOMPLETE_CHUNKED_ENCODING"):
        console.allow(noise)
    refuse_websockets(page, {"ws": True})
    record_events(page)
    page.goto("/")
    conn = page.locator("#conn")
    expect(conn).to_have_attribute("data-state", "live")
    expect(conn).to_have_attribute("data-transport", "sse")
    job = web.submit(params={"steps": 50, "interval_ms": 150})
    bar = card(page, job["id"]).get_by_role("progressbar")
    expect(bar).to_have_attribute("aria-valuenow", re.compile(r"^[1-9]"))  # found and moved by the SSE feed

    restart_daphne(web, before_start=lambda: expect(conn).not_to_have_attribute("data-state", "live"))

    expect(conn).to_have_attribute("data-transport", "sse", timeout=60_000)
    expect(conn).to_have_attribute("data-state", "live", timeout=60_000)
    expect(card(page, job["id"]).locator(".badge")).to_have_text("success", timeout=60_000)
    expect(bar).to_have_attribute("aria-valuenow", "100")
    stored = [e["seq"] for e in web.events(web.wait_job(job["id"])["id"])]
    assert seen_seqs(page, job["id"]) == stored, "the dashboard must apply each stored event exactly once, in order"
