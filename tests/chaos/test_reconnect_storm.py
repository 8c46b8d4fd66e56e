"""Fault 5: a reconnect storm. Many clients follow many ticker jobs, each hanging up at random
moments (half of them abruptly, with no close frame), and all of them at once in the middle.

Clients are WebSocket followers (resume with after=<last seq>), SSE followers (resume with
Last-Event-ID, as EventSource does) and the public JS client in Chromium on every transport
(its connections dropped from inside the page). At the end each holds exactly seq 1..n of its
job, and each JS follow called onEnd once. Sized by JOBCAST_STORM_CLIENTS / JOBCAST_STORM_JOBS
(defaults 500 / 100, the issue's figures) and JOBCAST_STORM_JS_CLIENTS (default 30).
"""
import asyncio
import os
import random
import time

import pytest

from tests.chaos.ledger import Follower, SseFollower, audit, report

pytestmark = pytest.mark.asyncio(loop_scope="function")

CLIENTS = int(os.environ.get("JOBCAST_STORM_CLIENTS", "500"))
JOBS = int(os.environ.get("JOBCAST_STORM_JOBS", "100"))
JS_CLIENTS = int(os.environ.get("JOBCAST_STORM_JS_CLIENTS", "30"))
SSE_SHARE = 3  # every third non-browser client reads SSE

# In the page: the client with WebSocket and fetch wrapped so the test can cut every connection.
JS_FOLLOW = """async ([jobIds]) => {
  const { JobcastClient } = await import("/static/jobcast/client.js");
  const sockets = new Set(), streams = new Set();
  class TrackedSocket extends WebSocket {
    constructor(url) { super(url); sockets.add(this); this.addEventListener("close", () => sockets.delete(this)); }
  }
  const trackedFetch = (url, options = {}) => {
    const controller = new AbortController();
    options.signal?.addEventListener("abort", () => controller.abort());
    streams.add(controller);
    return fetch(url, { ...options, signal: controller.signal });
  };
  const books = window.__storm = { follows: {}, drops: 0, cuts: [] };
  window.__open = () => sockets.size + streams.size;
  window.__running = () => Object.values(books.follows).filter((f) => f.ends.length === 0).length;
  window.__dropAll = () => {
    books.drops += sockets.size + streams.size;
    books.cuts.push(sockets.size + streams.size);
    for (const ws of sockets) ws.close(4000, "storm");
    for (const c of streams) c.abort();
    streams.clear();
  };
  const transports = ["websocket", "sse", "auto"];
  jobIds.forEach((jobId, n) => {
    const transport = transports[n % 3];
    const client = new JobcastClient({ transport, WebSocketImpl: TrackedSocket, fetchImpl: trackedFetch, baseMs: 200, maxMs: 2000 });
    const key = `${n}:${jobId}`;
    const book = books.follows[key] = { jobId, transport, seqs: [], ends: [] };
    client.follow(jobId, { onEvent: (e) => book.seqs.push(e.seq), onEnd: (job) => book.ends.push(job.status) });
  });
}"""


async def _browser_clients(stack, job_ids: list[str], cuts: int) -> dict:
    """JS clients in one Chromium page; `cuts` times, once they are all connected again, every connection is cut."""
    from playwright.async_api import async_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = await (await browser.new_context(base_url=stack.base)).new_page()
            await page.goto("/accounts/login/?next=/api/health/")
            await page.fill("#id_username", "alice")
            await page.fill("#id_password", "alice-password")
            await page.click("button[type=submit]")
            await page.wait_for_url(f"{stack.base}/api/health/")
            await page.evaluate(JS_FOLLOW, [job_ids])
            for _ in range(cuts):
                await page.wait_for_function("() => window.__running() === 0 || window.__open() >= window.__running()",
                                             timeout=60_000)
                if await page.evaluate("() => window.__running()") == 0:
                    break
                await page.evaluate("() => window.__dropAll()")
            await page.wait_for_function(
                "() => Object.values(window.__storm.follows).every((f) => f.ends.length > 0)", timeout=170_000)
            return await page.evaluate("() => window.__storm")
        finally:
            await browser.close()


async def test_reconnect_storm_every_client_ends_with_exactly_one_to_n(chaos_stack):
    stack = chaos_stack
    rng = random.Random(20261122)
    started = time.monotonic()
    jobs = await asyncio.gather(*(asyncio.to_thread(stack.submit, params={"steps": 20, "interval_ms": 50})
                                  for _ in range(JOBS)))
    t0 = time.monotonic()
    storm_at = t0 + 6.0  # everybody hangs up at once
    followers, runs = [], []
    for n in range(CLIENTS):
        job = jobs[n % JOBS]
        drops = [t0 + rng.uniform(0.2, 15.0) for _ in range(rng.randint(1, 3))] + [storm_at]
        if n % SSE_SHARE == SSE_SHARE - 1:
            f = SseFollower(job["id"], (lambda i=n % 2: f"http://127.0.0.1:{stack.daphne_ports[i]}"),
                            stack.ws_headers())
            runs.append(f.run(timeout=170, drop_at=drops, rng=random.Random(n)))
        else:
            f = Follower(job["id"], (lambda i=n % 2: stack.ws_base(i)), stack.ws_headers(), idle_timeout=6.0)
            runs.append(f.run(timeout=170, drop_at=drops, rng=random.Random(n)))
        followers.append(f)
    js_jobs = [jobs[JOBS - 1 - n % JOBS]["id"] for n in range(JS_CLIENTS)]  # the last queued: they run longest
    browser = _browser_clients(stack, js_jobs, cuts=3) if JS_CLIENTS else asyncio.sleep(0)
    *_, js = await asyncio.wait_for(asyncio.gather(*runs, browser), 180)
    books = audit(stack, [j["id"] for j in jobs], followers)
    assert books.statuses == {"success": JOBS}
    assert books.drops >= CLIENTS, "the storm did not happen"
    sse = [f for f in followers if isinstance(f, SseFollower)]
    assert sse and sum(f.drops for f in sse) >= len(sse), "the SSE clients were not part of the storm"
    if JS_CLIENTS:
        for key, follow in js["follows"].items():
            stored = [e["seq"] for e in stack.events(follow["jobId"])]
            assert follow["seqs"] == stored, f"JS client {key} ({follow['transport']}): gap or duplicate"
            assert follow["ends"] == ["success"], f"JS client {key}: onEnd {follow['ends']}"
        assert len(js["cuts"]) >= 2 and js["drops"] >= 2 * JS_CLIENTS, f"the page's connections were not cut: {js['cuts']}"
    report("fault 5 reconnect storm", books, clients=CLIENTS, sse_clients=len(sse), js_clients=JS_CLIENTS,
           js_drops=js["drops"] if JS_CLIENTS else 0, js_cuts=js["cuts"] if JS_CLIENTS else [], jobs=JOBS, seconds=round(time.monotonic() - started, 1))
