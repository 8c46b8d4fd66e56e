"""Losing the socket: the page shows it, polls meanwhile, reconnects with after=<seq>, no duplicates.

Runs after the other browser tests (it restarts daphne on the same port).
"""
from __future__ import annotations

import os
import re
import signal

from playwright.sync_api import Page, WebSocketRoute, expect

from livestack.stack import LiveStack
from tests.browser.test_job_page import open_job, timeline_seqs

NETWORK_NOISE = (r"ERR_CONNECTION_REFUSED", r"WebSocket connection to .* failed", r"ERR_CONNECTION_RESET",
                 r"ERR_EMPTY_RESPONSE")


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
    console.allow(r"WebSocket connection to .* failed")
    blocked = {"on": True}

    def route(ws: WebSocketRoute) -> None:
        if blocked["on"]:
            ws.close(code=4000, reason="blocked by the test")
        else:
            ws.connect_to_server()

    page.route_web_socket(re.compile(r"/ws/jobs/$"), route)
    polls: list[str] = []
    page.on("request", lambda r: polls.append(r.url) if "/events/?after=" in r.url else None)
    job = web.submit(params={"steps": 80, "interval_ms": 150})
    page.goto(f"/jobs/{job['id']}/")
    conn = page.locator("#conn")
    expect(conn).to_have_attribute("data-polling", "true")
    expect(conn).not_to_have_attribute("data-state", "live")
    expect(conn).to_contain_text("polling")
    bar = page.get_by_role("progressbar")
    expect(bar).to_have_attribute("aria-valuenow", re.compile(r"^[1-9]"))  # moved by polling alone

    blocked["on"] = False
    expect(conn).to_have_attribute("data-state", "live", timeout=60_000)
    expect(conn).to_have_attribute("data-polling", "false")
    polls_when_live = len(polls)
    assert polls_when_live > 1
    expect(page.locator(".job-card .badge")).to_have_text("success", timeout=60_000)
    assert len(polls) <= polls_when_live + 1, "polling must stop once the socket is back (one may be in flight)"
    assert timeline_seqs(page) == [e["seq"] for e in web.events(job["id"])]
