"""Throughput: N clients, each following its own job on `/ws/jobs/<id>/`, all at once.

Run:  .venv/bin/python -m bench.throughput [--clients 100,500,1000] [--steps 20] [--blast-steps 50]

One stack (private redis-server, SQLite, one daphne, one prefork worker with 2 processes: the
shipped configuration on 2 cores). For each N two phases run:

- end to end: the worker is paused (SIGSTOP) while N ticker jobs are submitted and N sockets
  open on them, then resumed; every event is stored by the worker, published, and pushed by
  daphne. Bound by how fast the worker stores events.
- daphne alone: the same N sockets on N jobs, but the events (seq 2.., then a terminal one)
  are published by this process straight to each job's group on the channel layer, as fast as
  it can. Nothing is stored; this is how many events one daphne process pushes to N job sockets.

Reported per phase: events delivered per second, emit (`ts`) → client latency percentiles, lost
and duplicated events (each client must hold seq 1..n of its job exactly once), daphne CPU (share
of one core) and peak RSS, the worker's and this process's CPU, and (end to end) the events the
worker stored and pushed per second of its CPU (all its processes: the cost of one event).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from bench.report import header, print_table, summary_ms, write_json
from bench.stacks import bench_stack, parse_ts
from livestack import procstat
from livestack.stack import TERMINAL, LiveStack


class JobFollower:
    """One job socket: the seqs it received and the latency of events pushed after `live_from`."""

    def __init__(self, job_id: str) -> None:
        self.job_id = job_id
        self.seqs: list[int] = []
        self.latencies: list[float] = []
        self.live_received = 0
        self.last_at = 0.0
        self.ws = None

    async def connect(self, stack: LiveStack) -> None:
        from websockets.asyncio.client import connect

        self.ws = await connect(f"{stack.ws_base()}/ws/jobs/{self.job_id}/?after=0",
                                additional_headers=stack.ws_headers(), max_size=None, open_timeout=120,
                                ping_interval=None)
        # The snapshot and the replay of what is stored so far (the `pending` event).
        while True:
            frame = json.loads(await asyncio.wait_for(self.ws.recv(), 60))
            if frame.get("type") == "event":
                self.seqs.append(frame["seq"])
                return

    async def read(self) -> None:
        """Record frames until the job's terminal event."""
        async for raw in self.ws:
            now = time.time()
            frame = json.loads(raw)
            if frame.get("type") != "event":
                continue
            self.seqs.append(frame["seq"])
            self.latencies.append((now - parse_ts(frame["ts"])) * 1000)
            self.live_received += 1
            self.last_at = now
            if frame["event"] in TERMINAL:
                break
        await self.ws.close()


class PeakRss:
    """Samples a process's RSS every `every` seconds while running; keeps the peak."""

    def __init__(self, pid: int, every: float = 0.25) -> None:
        self.pid, self.every, self.peak = pid, every, procstat.rss_bytes(pid)
        self._task: asyncio.Task | None = None

    async def _sample(self) -> None:
        while True:
            self.peak = max(self.peak, procstat.rss_bytes(self.pid))
            await asyncio.sleep(self.every)

    def __enter__(self) -> "PeakRss":
        self._task = asyncio.get_running_loop().create_task(self._sample())
        return self

    def __exit__(self, *exc: Any) -> None:
        self._task.cancel()
        self.peak = max(self.peak, procstat.rss_bytes(self.pid))


def _signal_workers(stack: LiveStack, sig: signal.Signals) -> None:
    for proc in stack.workers:
        os.killpg(proc.pid, sig)


async def _submit_and_connect(stack: LiveStack, n: int, steps: int, parallel: int = 25) -> list[JobFollower]:
    import httpx

    gate = asyncio.Semaphore(parallel)
    async with httpx.AsyncClient(base_url=stack.base, headers=stack.ws_headers(), timeout=120) as client:
        async def one() -> JobFollower:
            async with gate:
                r = await client.post("/api/jobs/", json={"kind": "jobs.ticker",
                                                           "params": {"steps": steps, "interval_ms": 0}})
                assert r.status_code == 201, r.text
                follower = JobFollower(r.json()["id"])
                await follower.connect(stack)
                return follower

        return list(await asyncio.gather(*(one() for _ in range(n))))


def _books(followers: list[JobFollower], stored: dict[str, int]) -> dict[str, int]:
    lost = sum(len(set(range(1, stored[f.job_id] + 1)) - set(f.seqs)) for f in followers)
    dup = sum(len(f.seqs) - len(set(f.seqs)) for f in followers)
    return {"lost": lost, "duplicated": dup}


async def _measure(stack: LiveStack, followers: list[JobFollower], produce, timeout: float) -> dict[str, Any]:
    """Run `produce()` while the followers read; CPU, peak RSS, rate and latency of what arrived."""
    daphne, me = stack.daphnes[0].pid, os.getpid()
    worker = stack.workers[0].pid
    cpu0 = procstat.cpu_seconds(daphne), procstat.tree_cpu_seconds(worker), procstat.cpu_seconds(me)
    readers = [asyncio.create_task(f.read()) for f in followers]
    with PeakRss(daphne) as rss:
        started = time.time()
        await produce()
        _, pending = await asyncio.wait(readers, timeout=timeout)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    cpu = [b - a for a, b in zip(cpu0, (procstat.cpu_seconds(daphne), procstat.tree_cpu_seconds(worker),
                                         procstat.cpu_seconds(me)))]
    seconds = max(max((f.last_at for f in followers), default=started) - started, 1e-9)
    delivered = sum(f.live_received for f in followers)
    lat = [x for f in followers for x in f.latencies]
    return {"clients": len(followers), "events_delivered": delivered, "seconds": round(seconds, 2),
            "events_per_s": round(delivered / seconds, 1), "unfinished": len(pending),
            "latency": summary_ms(lat), "daphne_cpu_share": round(cpu[0] / seconds, 2),
            "daphne_rss_peak_mib": round(rss.peak / 2**20, 1), "worker_cpu_share": round(cpu[1] / seconds, 2),
            "worker_cpu_s": round(cpu[1], 3),
            "client_cpu_share": round(cpu[2] / seconds, 2)}


async def end_to_end(stack: LiveStack, n: int, steps: int, timeout: float) -> dict[str, Any]:
    """N ticker jobs queued behind a paused worker, N sockets open, then the worker resumes."""
    _signal_workers(stack, signal.SIGSTOP)
    try:
        followers = await _submit_and_connect(stack, n, steps)
    finally:
        _signal_workers(stack, signal.SIGCONT)

    async def produce() -> None:
        pass  # the resumed worker produces

    result = await _measure(stack, followers, produce, timeout)
    stored = {f.job_id: (await asyncio.to_thread(stack.job, f.job_id))["seq"] for f in followers}
    # The worker stored every event but each job's `pending` (seq 1, stored by the POST).
    by_worker = sum(stored.values()) - len(followers)
    per_cpu_s = round(by_worker / result["worker_cpu_s"], 1) if result["worker_cpu_s"] else None
    return {"phase": "end to end", "events_stored": sum(stored.values()), **result,
            "events_per_worker_cpu_s": per_cpu_s, **_books(followers, stored)}


async def daphne_alone(stack: LiveStack, n: int, steps: int, timeout: float) -> dict[str, Any]:
    """N job sockets; this process publishes seq 2..steps+2 to each job's group, round-robin."""
    from channels_redis.pubsub import RedisPubSubChannelLayer

    from apps.jobs import events

    followers = await _submit_and_connect(stack, n, 1)  # the worker stays paused: nothing else publishes
    layer = RedisPubSubChannelLayer(hosts=[stack.redis_url])  # the layer daphne listens on
    last_seq = steps + 2

    async def produce() -> None:
        for seq in range(2, last_seq + 1):
            event, status = ("success", "success") if seq == last_seq else ("progress", "started")
            for f in followers:
                payload = {"type": "event", "job_id": f.job_id, "seq": seq, "event": event, "status": status,
                           "stage": "ticking", "progress": round(100 * (seq - 1) / (last_seq - 1), 1),
                           "message": f"step {seq - 1}", "data": {},
                           "ts": datetime.now(timezone.utc).isoformat(timespec="microseconds")}
                await layer.group_send(events.job_group(f.job_id), events.live_message(payload))

    result = await _measure(stack, followers, produce, timeout)
    await layer.flush()
    stored = {f.job_id: last_seq for f in followers}
    return {"phase": "daphne alone", "events_stored": n * (last_seq - 1), **result, **_books(followers, stored)}


def measure(stack: LiveStack, *, clients: list[int], steps: int, blast_steps: int,
            timeout: float = 300) -> list[dict[str, Any]]:
    """Both phases for each N; the stack's worker is killed at the end (nothing may publish)."""
    rows = [asyncio.run(end_to_end(stack, n, steps, timeout)) for n in clients]
    _signal_workers(stack, signal.SIGSTOP)  # from here on only this process publishes
    try:
        rows += [asyncio.run(daphne_alone(stack, n, blast_steps, timeout)) for n in clients]
    finally:
        _signal_workers(stack, signal.SIGKILL)
    return rows


def print_results(rows: list[dict[str, Any]]) -> None:
    print_table("throughput: N clients, each following its own job",
                ["phase", "clients", "events", "events/s", "p50 ms", "p95 ms", "p99 ms", "lost", "dup",
                 "daphne CPU", "daphne RSS MiB", "worker CPU", "events/worker-CPU-s", "client CPU"],
                [[r["phase"], r["clients"], r["events_delivered"], r["events_per_s"], r["latency"]["p50_ms"],
                  r["latency"]["p95_ms"], r["latency"]["p99_ms"], r["lost"], r["duplicated"],
                  r["daphne_cpu_share"], r["daphne_rss_peak_mib"], r["worker_cpu_share"],
                  r.get("events_per_worker_cpu_s"), r["client_cpu_share"]]
                 for r in rows])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", default="100,500,1000", help="comma-separated numbers of clients")
    ap.add_argument("--steps", type=int, default=20, help="progress events per ticker job (end to end)")
    ap.add_argument("--blast-steps", type=int, default=50, help="progress events per job (daphne alone)")
    ap.add_argument("--timeout", type=float, default=300, help="give up on clients after this many seconds")
    ap.add_argument("--out", type=Path, default=None, help="directory for the JSON (default bench/results)")
    args = ap.parse_args(argv)

    import django

    procstat.raise_open_file_limit()
    results = header("throughput")
    stack = bench_stack(concurrency=2)
    try:
        os.environ.update(stack.env)  # the stack's settings, for apps.jobs.events' names
        django.setup()
        logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per POST drowns the table
        results["rows"] = measure(stack, clients=[int(n) for n in args.clients.split(",")], steps=args.steps,
                                  blast_steps=args.blast_steps, timeout=args.timeout)
    finally:
        stack.stop()
    print_results(results["rows"])
    write_json("throughput", results, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
