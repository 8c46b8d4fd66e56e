"""Push against polling: the same watched ticker jobs seen by pollers (500 ms, 3 s) and by WebSocket.

Run:  .venv/bin/python -m bench.push_vs_polling [--jobs 200] [--steps 30] [--interval-ms 1000]

One stack (private redis-server, SQLite, one daphne, one threads-pool worker running every job
at once), three phases in one run, each with a fresh set of identical jobs:
  poll-500ms  every job watched by a client polling GET /api/jobs/<id>/ every 500 ms
              (celery-progress's default), until the job finishes;
  poll-3s     the same, every 3 s (the OCR system's interval);
  push        one /ws/jobs/<id>/ socket per job.
Per phase: time from a progress change (the stored event's `ts`) until the client shows it or a
newer state (a poll shows only the latest state: the changes in between are counted as skipped),
HTTP requests served by daphne, daphne's CPU seconds per minute (utime+stime from /proc), and
daphne's CPU per state change shown to a watcher (what one update on a page costs the server).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

from bench.report import header, print_table, ratio, summary_ms, write_json
from bench.stacks import bench_stack, parse_ts
from livestack import procstat
from livestack.stack import TERMINAL, LiveStack

POLL_PERIODS = (0.5, 3.0)


def phase_name(period: float | None) -> str:
    """poll-500ms, poll-3s, push: the keys of the results."""
    if period is None:
        return "push"
    return f"poll-{period:g}s" if period >= 1 else f"poll-{period * 1000:g}ms"


def submit_jobs(stack: LiveStack, n: int, steps: int, interval_ms: int) -> list[str]:
    """Create `n` identical ticker jobs over one HTTP connection."""
    with stack.client() as client:
        ids = []
        for _ in range(n):
            r = client.post("/api/jobs/", json={"kind": "jobs.ticker",
                                                "params": {"steps": steps, "interval_ms": interval_ms}})
            r.raise_for_status()
            ids.append(r.json()["id"])
    return ids


async def poll_job(client, job_id: str, period: float, seen: list[tuple[int, float, int]],
                   request_ms: list[float]) -> int:
    """Poll one job until it finishes; record (seq, when seen, previous seq). Returns requests made."""
    requests, previous = 0, None
    await asyncio.sleep(random.uniform(0, period))  # pollers of real pages are not in phase
    next_at = time.monotonic()
    while True:
        t0 = time.perf_counter()
        r = await client.get(f"/api/jobs/{job_id}/")
        now = time.time()
        request_ms.append((time.perf_counter() - t0) * 1000)
        requests += 1
        job = r.json()
        if previous is not None and job["seq"] > previous:
            seen.append((job["seq"], now, previous))
        previous = job["seq"]
        if job["status"] in TERMINAL:
            return requests
        next_at += period
        await asyncio.sleep(max(0.0, next_at - time.monotonic()))


async def push_job(stack: LiveStack, job_id: str, seen: list[tuple[int, float, int]]) -> int:
    """Follow one job socket; record live events (those after the snapshot). Returns 1 (the upgrade)."""
    from websockets.asyncio.client import connect

    async with connect(f"{stack.ws_base()}/ws/jobs/{job_id}/?after=0", additional_headers=stack.ws_headers(),
                       max_size=None, open_timeout=120) as ws:
        snapshot_seq = None
        previous = None
        async for raw in ws:
            now = time.time()
            frame = json.loads(raw)
            if frame.get("type") == "snapshot":
                snapshot_seq = previous = frame["job"]["seq"]
                continue
            if frame.get("type") != "event":
                continue
            if frame["seq"] > snapshot_seq:
                seen.append((frame["seq"], now, previous))
            previous = frame["seq"]
            if frame["event"] in TERMINAL:
                return 1
    return 1


async def observe(stack: LiveStack, job_ids: list[str], period: float | None,
                  request_ms: list[float]) -> tuple[dict, int]:
    """Watch every job to its end by polling at `period` or by push; returns what was seen and requests."""
    import httpx

    seen: dict[str, list[tuple[int, float, int]]] = {j: [] for j in job_ids}
    if period is None:
        counts = await asyncio.gather(*(push_job(stack, j, seen[j]) for j in job_ids))
    else:
        limits = httpx.Limits(max_connections=len(job_ids), max_keepalive_connections=len(job_ids))
        async with httpx.AsyncClient(base_url=stack.base, headers=stack.ws_headers(), timeout=120,
                                     limits=limits) as client:
            counts = await asyncio.gather(*(poll_job(client, j, period, seen[j], request_ms) for j in job_ids))
    return seen, sum(counts)


def stored_ts(stack: LiveStack, job_ids: list[str]) -> dict[str, dict[int, tuple[float, str]]]:
    """Each job's stored log: seq → (ts as Unix time, event type)."""
    with stack.client() as client:
        out = {}
        for job_id in job_ids:
            events = client.get(f"/api/jobs/{job_id}/events/").json()["events"]
            out[job_id] = {e["seq"]: (parse_ts(e["ts"]), e["event"]) for e in events}
    return out


def phase_figures(seen: dict, log: dict) -> dict[str, Any]:
    """For each progress change: time from its `ts` until the client shows it or a newer state.

    A poller that sees seq 12 after seq 9 has caught up with changes 10, 11 and 12 at that moment;
    10 and 11 were never shown individually (counted as skipped).
    """
    latencies, changes, shown = [], 0, 0
    for job_id, sightings in seen.items():
        for seq, when, previous in sightings:
            shown += 1
            for k in range(previous + 1, seq + 1):
                ts, event = log[job_id][k]
                if event == "progress":
                    latencies.append((when - ts) * 1000)
                changes += 1
    return {"latency": summary_ms(latencies), "changes_during_watch": changes, "states_shown": shown,
            "changes_skipped": changes - shown}


def run_phase(stack: LiveStack, name: str, period: float | None, *, jobs: int, steps: int,
              interval_ms: int) -> dict[str, Any]:
    """One observation mode over a fresh set of identical jobs."""
    daphne = stack.daphnes[0].pid
    job_ids = submit_jobs(stack, jobs, steps, interval_ms)
    cpu0, wall0 = procstat.cpu_seconds(daphne), time.monotonic()
    request_ms: list[float] = []
    seen, requests = asyncio.run(observe(stack, job_ids, period, request_ms))
    wall, cpu = time.monotonic() - wall0, procstat.cpu_seconds(daphne) - cpu0
    figures = phase_figures(seen, stored_ts(stack, job_ids))
    return {"phase": name, "poll_period_s": period, "jobs": jobs, "seconds": round(wall, 2),
            "http_requests": requests, "requests_per_s": round(requests / wall, 1),
            "daphne_cpu_s": round(cpu, 2), "daphne_cpu_s_per_min": round(cpu / wall * 60, 2),
            "daphne_cpu_ms_per_state_shown": round(cpu * 1000 / figures["states_shown"], 3)
            if figures["states_shown"] else None,
            "daphne_rss_mib": round(procstat.rss_bytes(daphne) / 2**20, 1),
            "poll_request": summary_ms(request_ms) if request_ms else None, **figures}


def measure(stack: LiveStack, *, jobs: int, steps: int, interval_ms: int,
            poll_periods: tuple[float, ...] = POLL_PERIODS) -> dict[str, Any]:
    """Every polling phase and the push phase on one stack, and push's advantage as ratios."""
    phases = {phase_name(period): run_phase(stack, phase_name(period), period, jobs=jobs, steps=steps,
                                            interval_ms=interval_ms)
              for period in (*poll_periods, None)}
    push = phases["push"]
    ratios = {}
    for name in map(phase_name, poll_periods):
        poll = phases[name]
        ratios[f"{name}_vs_push"] = {
            "latency_p50_x": ratio(poll["latency"]["p50_ms"], push["latency"]["p50_ms"]),
            "latency_p99_x": ratio(poll["latency"]["p99_ms"], push["latency"]["p99_ms"]),
            "http_requests_x": ratio(poll["http_requests"], push["http_requests"]),
            "daphne_cpu_per_min_x": ratio(poll["daphne_cpu_s_per_min"], push["daphne_cpu_s_per_min"]),
            "daphne_cpu_per_state_shown_x": ratio(poll["daphne_cpu_ms_per_state_shown"] or 0,
                                                  push["daphne_cpu_ms_per_state_shown"]),
        }
    return {"phases": phases, "ratios": ratios}


def print_results(results: dict[str, Any]) -> None:
    """The per-phase table and the polling ÷ push ratios."""
    rows = []
    for p in results["phases"].values():
        lat = p["latency"]
        rows.append([p["phase"], lat["p50_ms"], lat["p95_ms"], lat["p99_ms"], p["states_shown"],
                     p["changes_skipped"], p["http_requests"], p["requests_per_s"],
                     p["poll_request"]["p50_ms"] if p["poll_request"] else None, p["daphne_cpu_s_per_min"],
                     p["daphne_cpu_ms_per_state_shown"]])
    print_table(f"{results['params']['jobs']} watched ticker jobs, one change per job every "
                f"{results['params']['interval_ms']} ms",
                ["observer", "p50 ms", "p95 ms", "p99 ms", "shown", "skipped", "HTTP req", "req/s", "GET p50 ms",
                 "daphne CPU s/min", "daphne CPU ms per state shown"], rows)
    rows = [[name, r["latency_p50_x"], r["latency_p99_x"], r["http_requests_x"], r["daphne_cpu_per_min_x"],
             r["daphne_cpu_per_state_shown_x"]] for name, r in results["ratios"].items()]
    print_table("polling ÷ push", ["", "latency p50 ×", "latency p99 ×", "requests ×", "CPU/min ×",
                                   "CPU per state shown ×"], rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jobs", type=int, default=200, help="watched jobs per phase")
    ap.add_argument("--steps", type=int, default=30, help="progress changes per job")
    ap.add_argument("--interval-ms", type=int, default=1000, help="time between a job's progress changes")
    ap.add_argument("--out", type=Path, default=None, help="directory for the JSON (default bench/results)")
    args = ap.parse_args(argv)

    procstat.raise_open_file_limit()
    results = header("push_vs_polling")
    results["params"] = {"jobs": args.jobs, "steps": args.steps, "interval_ms": args.interval_ms}
    stack = bench_stack(threaded=True, concurrency=args.jobs + 4)
    try:
        results.update(measure(stack, jobs=args.jobs, steps=args.steps, interval_ms=args.interval_ms))
    finally:
        stack.stop()
    print_results(results)
    write_json("push_vs_polling", results, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
