"""Submission: REST POST /api/jobs/ per second with 50 concurrent clients, and submit → `started`.

Run:  .venv/bin/python -m bench.submission [--submissions 500] [--concurrency 50] [--single 50]

One stack (private redis-server, SQLite, one daphne, one prefork worker with 2 processes;
JOBS_THROTTLE_CREATE is lifted by LiveStack). A feed socket of the submitting user records
each job's `pending` and `started` events. Two phases:
  burst   `--submissions` one-step ticker jobs POSTed by `--concurrency` concurrent clients:
          POSTs/s, POST latency, and submit → `started` seen on the feed (this includes the
          wait in the queue behind the burst: the worker starts jobs as fast as it can);
  single  `--single` submissions one at a time, each waiting for its `started`: the unloaded
          submit → `started` latency, and the server-side part (`started` ts − `pending` ts).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

from bench.report import header, print_table, summary_ms, write_json
from bench.stacks import bench_stack, parse_ts
from livestack import procstat
from livestack.stack import LiveStack

BODY = {"kind": "jobs.ticker", "params": {"steps": 1, "interval_ms": 0}}


class FeedWatcher:
    """A feed socket recording, per job, when `pending`/`started` arrived and their `ts`."""

    def __init__(self) -> None:
        self.seen: dict[str, dict[str, tuple[float, float]]] = {}
        self.arrived = asyncio.Condition()

    async def run(self, url: str, headers: dict[str, str], ready: asyncio.Event) -> None:
        from websockets.asyncio.client import connect

        async with connect(url, additional_headers=headers, max_size=None, open_timeout=60) as ws:
            ready.set()
            async for raw in ws:
                now = time.time()
                frame = json.loads(raw)
                if frame.get("type") == "event" and frame["event"] in ("pending", "started"):
                    self.seen.setdefault(frame["job_id"], {}).setdefault(frame["event"], (now, parse_ts(frame["ts"])))
                    async with self.arrived:
                        self.arrived.notify_all()

    async def wait_started(self, job_ids: list[str], timeout: float) -> None:
        """Return once every job's `started` has arrived on the feed."""
        async with self.arrived:
            await asyncio.wait_for(self.arrived.wait_for(
                lambda: all("started" in self.seen.get(j, {}) for j in job_ids)), timeout)


async def run(stack: LiveStack, *, submissions: int, concurrency: int, single: int,
              timeout: float = 300) -> dict[str, Any]:
    """The burst phase, then the one-at-a-time phase, with one feed socket watching both."""
    import httpx

    watcher, ready = FeedWatcher(), asyncio.Event()
    reader = asyncio.create_task(watcher.run(f"{stack.ws_base()}/ws/jobs/", stack.ws_headers(), ready))
    await asyncio.wait_for(ready.wait(), 60)
    daphne = stack.daphnes[0].pid
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=stack.base, headers=stack.ws_headers(), timeout=120,
                                 limits=limits) as client:
        sent: dict[str, float] = {}
        post_ms: list[float] = []
        errors = 0
        queue: asyncio.Queue = asyncio.Queue()
        for _ in range(submissions):
            queue.put_nowait(None)

        async def poster():
            nonlocal errors
            while not queue.empty():
                queue.get_nowait()
                t0, wall0 = time.perf_counter(), time.time()
                r = await client.post("/api/jobs/", json=BODY)
                post_ms.append((time.perf_counter() - t0) * 1000)
                if r.status_code == 201:
                    sent[r.json()["id"]] = wall0
                else:
                    errors += 1

        cpu0, started = procstat.cpu_seconds(daphne), time.monotonic()
        await asyncio.gather(*(poster() for _ in range(concurrency)))
        burst_s = time.monotonic() - started
        cpu = procstat.cpu_seconds(daphne) - cpu0
        await watcher.wait_started(list(sent), timeout)
        all_started_s = time.monotonic() - started
        burst = {"submissions": submissions, "concurrency": concurrency, "errors": errors,
                 "seconds": round(burst_s, 2), "posts_per_s": round(len(sent) / burst_s, 1),
                 "post_latency": summary_ms(post_ms),
                 "daphne_cpu_share": round(cpu / burst_s, 2),
                 "all_started_after_s": round(all_started_s, 2),
                 "submit_to_started": summary_ms([(watcher.seen[j]["started"][0] - t) * 1000
                                                  for j, t in sent.items()])}

        lone_total, lone_server = [], []
        for _ in range(single):
            t0 = time.time()
            r = await client.post("/api/jobs/", json=BODY)
            job_id = r.json()["id"]
            await watcher.wait_started([job_id], 60)
            seen = watcher.seen[job_id]
            lone_total.append((seen["started"][0] - t0) * 1000)
            if "pending" in seen:
                lone_server.append((seen["started"][1] - seen["pending"][1]) * 1000)
        lone = {"submissions": single, "submit_to_started": summary_ms(lone_total),
                "pending_ts_to_started_ts": summary_ms(lone_server)}
    reader.cancel()
    await asyncio.gather(reader, return_exceptions=True)
    return {"burst": burst, "single": lone}


def measure(stack: LiveStack, *, submissions: int, concurrency: int, single: int) -> dict[str, Any]:
    """Sync entry point for main() and the smoke test."""
    return asyncio.run(run(stack, submissions=submissions, concurrency=concurrency, single=single))


def print_results(r: dict[str, Any]) -> None:
    """The submission table."""
    b, s = r["burst"], r["single"]
    print_table(f"REST POST /api/jobs/ ({b['concurrency']} concurrent clients, {b['submissions']} jobs)",
                ["measure", "per s", "p50 ms", "p95 ms", "p99 ms", "max ms"],
                [["POST (burst)", b["posts_per_s"], b["post_latency"]["p50_ms"], b["post_latency"]["p95_ms"],
                  b["post_latency"]["p99_ms"], b["post_latency"]["max_ms"]],
                 ["submit → started (burst, queued)", None, b["submit_to_started"]["p50_ms"],
                  b["submit_to_started"]["p95_ms"], b["submit_to_started"]["p99_ms"], b["submit_to_started"]["max_ms"]],
                 ["submit → started (one at a time)", None, s["submit_to_started"]["p50_ms"],
                  s["submit_to_started"]["p95_ms"], s["submit_to_started"]["p99_ms"], s["submit_to_started"]["max_ms"]],
                 ["pending ts → started ts (one at a time)", None, s["pending_ts_to_started_ts"]["p50_ms"],
                  s["pending_ts_to_started_ts"]["p95_ms"], s["pending_ts_to_started_ts"]["p99_ms"],
                  s["pending_ts_to_started_ts"]["max_ms"]]])
    print(f"errors: {b['errors']}; daphne CPU during the burst: {b['daphne_cpu_share']} of a core; "
          f"every burst job started {b['all_started_after_s']} s after the first POST")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--submissions", type=int, default=500)
    ap.add_argument("--concurrency", type=int, default=50, help="concurrent HTTP clients")
    ap.add_argument("--single", type=int, default=50, help="one-at-a-time submissions")
    ap.add_argument("--out", type=Path, default=None, help="directory for the JSON (default bench/results)")
    args = ap.parse_args(argv)

    procstat.raise_open_file_limit()
    results = header("submission")
    stack = bench_stack()
    try:
        results.update(measure(stack, submissions=args.submissions, concurrency=args.concurrency,
                               single=args.single))
    finally:
        stack.stop()
    print_results(results)
    write_json("submission", results, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
