"""Fan-out: many feed clients (/ws/jobs/) of one staff user watching a few busy jobs.

Run:  .venv/bin/python -m bench.fanout [--clients 1000] [--jobs 10] [--steps 20] [--interval-ms 100]

One stack (private redis-server, SQLite, one daphne, one threads-pool worker). All clients
connect as "root" (staff: the feed carries every job), then `--jobs` ticker jobs are submitted
and every client reads until it has seen each job's terminal event. Every event goes through
one PUBLISH to the `staff` group and daphne copies it to each socket. Reported: deliveries/s
(events × clients over the time from the first submission to the last delivery), offered
deliveries/s (what the jobs would need), emit (`ts`) → client latency percentiles, lost and
duplicated deliveries, daphne CPU and RSS, and the client process's own CPU (clients and server
share the machine's cores).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.report import header, print_table, summary_ms, write_json
from bench.stacks import bench_stack, parse_ts
from livestack import procstat
from livestack.stack import TERMINAL, LiveStack


class FeedClient:
    """One feed socket: the seqs it saw per job and emit → receive latencies."""

    def __init__(self, expected_jobs: int) -> None:
        self.expected_jobs = expected_jobs
        self.seqs: dict[str, list[int]] = {}
        self.finished: set[str] = set()
        self.latencies: list[float] = []
        self.last_at = 0.0
        self.ws = None

    async def connect(self, url: str, headers: dict[str, str]) -> None:
        from websockets.asyncio.client import connect

        self.ws = await connect(url, additional_headers=headers, max_size=None, open_timeout=120,
                                ping_interval=None)

    async def read(self) -> None:
        """Record frames until every expected job has ended."""
        async for raw in self.ws:
            now = time.time()
            frame = json.loads(raw)
            if frame.get("type") != "event":
                continue
            self.seqs.setdefault(frame["job_id"], []).append(frame["seq"])
            self.latencies.append((now - parse_ts(frame["ts"])) * 1000)
            self.last_at = now
            if frame["event"] in TERMINAL:
                self.finished.add(frame["job_id"])
                if len(self.finished) >= self.expected_jobs:
                    break
        await self.ws.close()


async def connect_all(stack: LiveStack, n: int, expected_jobs: int, parallel: int = 50) -> list[FeedClient]:
    """Open `n` feed sockets as root, at most `parallel` handshakes at a time."""
    clients = [FeedClient(expected_jobs) for _ in range(n)]
    gate = asyncio.Semaphore(parallel)

    async def one(client: FeedClient) -> None:
        async with gate:
            await client.connect(f"{stack.ws_base()}/ws/jobs/", stack.ws_headers("root"))

    await asyncio.gather(*(one(c) for c in clients))
    return clients


async def run(stack: LiveStack, *, clients: int, jobs: int, steps: int, interval_ms: int,
              timeout: float) -> dict[str, Any]:
    """Connect the feed, submit the jobs, read until every client saw every job end, then count."""
    daphne = stack.daphnes[0].pid
    started = time.monotonic()
    feed = await connect_all(stack, clients, jobs)
    connect_s = time.monotonic() - started
    rss_connected = procstat.rss_bytes(daphne)
    cpu0, client_cpu0 = procstat.cpu_seconds(daphne), procstat.cpu_seconds(os.getpid())
    readers = [asyncio.create_task(c.read()) for c in feed]
    first_submit = time.time()
    job_ids = [(await asyncio.to_thread(stack.submit, params={"steps": steps, "interval_ms": interval_ms}))["id"]
               for _ in range(jobs)]
    _, pending = await asyncio.wait(readers, timeout=timeout)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    cpu, client_cpu = procstat.cpu_seconds(daphne) - cpu0, procstat.cpu_seconds(os.getpid()) - client_cpu0
    stored = {j: (await asyncio.to_thread(stack.job, j))["seq"] for j in job_ids}
    expected = sum(stored.values())
    delivered = sum(len(s) for c in feed for s in c.seqs.values())
    # Clients that saw every job end yet miss a seq lost it; the others ran out of time.
    missing = {j: Counter() for j in job_ids}
    finished = [c for c in feed if len(c.finished) >= jobs]
    for c in finished:
        for j in job_ids:
            missing[j].update(set(range(1, stored[j] + 1)) - set(c.seqs.get(j, [])))
    lost = sum(sum(m.values()) for m in missing.values())
    undelivered = sum(stored[j] - len(set(c.seqs.get(j, []))) for c in feed if c not in finished for j in job_ids)
    lost_by_seq = {f"job{i + 1}#{seq}": n for i, j in enumerate(job_ids) for seq, n in sorted(missing[j].items())}
    duplicated = sum(len(s) - len(set(s)) for c in feed for s in c.seqs.values())
    last = max((c.last_at for c in feed), default=first_submit)
    seconds = max(last - first_submit, 1e-9)
    lat = [x for c in feed for x in c.latencies]
    job_seconds = steps * interval_ms / 1000
    return {
        "clients": clients, "jobs": jobs, "events_stored": expected, "clients_finished": len(finished),
        "connect_s": round(connect_s, 2), "seconds": round(seconds, 2),
        "deliveries": delivered, "deliveries_expected": expected * clients,
        "deliveries_per_s": round(delivered / seconds, 1),
        "offered_deliveries_per_s": round(expected * clients / job_seconds, 1) if job_seconds else None,
        "lost": lost, "lost_by_seq": lost_by_seq, "undelivered_at_timeout": undelivered,
        "duplicated": duplicated, "latency": summary_ms(lat),
        "daphne_cpu_s": round(cpu, 2), "daphne_cpu_share": round(cpu / seconds, 2),
        "daphne_cpu_ms_per_delivery": round(cpu * 1000 / delivered, 4) if delivered else None,
        "daphne_rss_mib_connected": round(rss_connected / 2**20, 1),
        "daphne_rss_mib_end": round(procstat.rss_bytes(daphne) / 2**20, 1),
        "client_cpu_s": round(client_cpu, 2),
    }


def measure(stack: LiveStack, *, clients: int, jobs: int, steps: int, interval_ms: int,
            timeout: float = 120) -> dict[str, Any]:
    """One fan-out run on `stack` (sync entry point for main() and the smoke test)."""
    return asyncio.run(run(stack, clients=clients, jobs=jobs, steps=steps, interval_ms=interval_ms,
                           timeout=timeout))


def print_results(r: dict[str, Any]) -> None:
    """The fan-out table (and which seqs were lost, if any)."""
    lat = r["latency"]
    print_table(f"fan-out: {r['clients']} feed clients of one staff user, {r['jobs']} busy jobs "
                f"({r['events_stored']} events)",
                ["deliveries/s", "offered/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "lost", "dup", "late",
                 "daphne CPU", "daphne ms/frame", "daphne RSS MiB", "connect s"],
                [[r["deliveries_per_s"], r["offered_deliveries_per_s"], lat["p50_ms"], lat["p95_ms"], lat["p99_ms"],
                  lat["max_ms"], r["lost"], r["duplicated"], r["undelivered_at_timeout"], r["daphne_cpu_share"],
                  r["daphne_cpu_ms_per_delivery"], r["daphne_rss_mib_end"], r["connect_s"]]])
    if r["lost"]:
        print(f"lost (job#seq: clients missing it): {r['lost_by_seq']}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=1000)
    ap.add_argument("--jobs", type=int, default=10)
    ap.add_argument("--steps", type=int, default=20, help="progress events per job")
    ap.add_argument("--interval-ms", type=int, default=100, help="time between a job's progress events")
    ap.add_argument("--timeout", type=float, default=120, help="give up on clients after this many seconds")
    ap.add_argument("--out", type=Path, default=None, help="directory for the JSON (default bench/results)")
    args = ap.parse_args(argv)

    procstat.raise_open_file_limit()
    results = header("fanout")
    stack = bench_stack(threaded=True, concurrency=args.jobs + 2)
    try:
        results["fanout"] = measure(stack, clients=args.clients, jobs=args.jobs, steps=args.steps,
                                    interval_ms=args.interval_ms, timeout=args.timeout)
    finally:
        stack.stop()
    print_results(results["fanout"])
    write_json("fanout", results, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
