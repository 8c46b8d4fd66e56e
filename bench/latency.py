"""Emit → WebSocket latency, delivered events/s with many clients, REST submissions/s.

Run:  .venv/bin/python -m bench.latency [--events 2000] [--clients 200] [--submissions 300]
It starts a private redis-server, a migrated SQLite database, daphne and a Celery worker
(JOBS_PROGRESS_MIN_INTERVAL_MS=0, so every progress call is an event), measures, prints a table
and writes bench/results/latency-<timestamp>.json. Figures are from one run on this machine.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def summary_ms(values: list[float]) -> dict[str, float]:
    return {"n": len(values), "p50_ms": round(pct(values, 50), 3), "p95_ms": round(pct(values, 95), 3),
            "p99_ms": round(pct(values, 99), 3), "max_ms": round(max(values), 3) if values else float("nan")}


async def redis_floor(url: str, n: int = 2000, spacing_ms: float = 0.5) -> dict[str, float]:
    """PUBLISH → SUBSCRIBE on loopback, one message every `spacing_ms`: the floor of any push through Redis.

    Measured at the same spacing as the events it is compared with: at 5 ms every message
    finds both ends asleep, and the wake-ups are most of the cost.
    """
    import redis.asyncio as aioredis

    sub_client, pub_client = aioredis.from_url(url), aioredis.from_url(url)
    pubsub = sub_client.pubsub()
    await pubsub.subscribe("bench.floor")
    await pubsub.get_message(timeout=1)
    latencies: list[float] = []

    async def reader():
        while len(latencies) < n:
            msg = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1)
            if msg:
                latencies.append((time.perf_counter() - float(msg["data"])) * 1000)

    task = asyncio.create_task(reader())
    for _ in range(n):
        await pub_client.publish("bench.floor", repr(time.perf_counter()))
        await asyncio.sleep(spacing_ms / 1000)
    await asyncio.wait_for(task, 30 + n * spacing_ms / 1000)
    await pubsub.aclose()
    await sub_client.aclose()
    await pub_client.aclose()
    return summary_ms(latencies)


async def follow(url: str, headers: dict, out: dict) -> None:
    """Follow one job socket to its terminal event, recording seqs and emit→receive latency."""
    from websockets.asyncio.client import connect

    stored_at_connect = None
    async with connect(url, additional_headers=headers, max_size=None, open_timeout=60) as ws:
        async for raw in ws:
            now = time.time()
            frame = json.loads(raw)
            if frame.get("type") == "snapshot":
                stored_at_connect = frame["job"]["seq"]
            if frame.get("type") != "event":
                continue
            out["seqs"].append(frame["seq"])
            emitted = frame["data"].get("emitted_at")
            # Latency of live pushes only: replayed events were emitted before the socket opened.
            if frame["event"] == "progress" and emitted and frame["seq"] > (stored_at_connect or 0):
                out["lat"].append((now - emitted) * 1000)
            if frame["event"] in ("success", "failure", "revoked"):
                return


async def latency_one_job(stack, n_events: int, interval_ms: int) -> dict:
    job = stack.submit(params={"steps": n_events, "interval_ms": interval_ms})
    out = {"seqs": [], "lat": []}
    await follow(f"{stack.ws_base()}/ws/jobs/{job['id']}/?after=0", stack.ws_headers(), out)
    return {**summary_ms(out["lat"]), "events": len(out["seqs"]),
            "gapless": out["seqs"] == list(range(1, len(out["seqs"]) + 1))}


async def throughput(stack, clients: int, steps: int) -> dict:
    """Each client opens its job's socket right after submitting it, so it sees the job live."""
    import httpx

    jobs, outs, followers = [], [], []
    started = time.monotonic()
    async with httpx.AsyncClient(base_url=stack.base, headers=stack.ws_headers(), timeout=60) as client:
        for _ in range(clients):
            r = await client.post("/api/jobs/", json={"kind": "jobs.ticker",
                                                       "params": {"steps": steps, "interval_ms": 0}})
            job, out = r.json(), {"seqs": [], "lat": []}
            jobs.append(job)
            outs.append(out)
            followers.append(asyncio.create_task(
                follow(f"{stack.ws_base()}/ws/jobs/{job['id']}/?after=0", stack.ws_headers(), out)))
    await asyncio.gather(*followers)
    elapsed = time.monotonic() - started
    delivered = sum(len(o["seqs"]) for o in outs)
    stored = sum(stack.job(j["id"])["seq"] for j in jobs)
    lost = sum(len(set(range(1, stack.job(j["id"])["seq"] + 1)) - set(o["seqs"])) for j, o in zip(jobs, outs))
    dup = sum(len(o["seqs"]) - len(set(o["seqs"])) for o in outs)
    lat = [x for o in outs for x in o["lat"]]
    return {"clients": clients, "events_delivered": delivered, "events_stored": stored, "lost": lost,
            "duplicated": dup, "seconds": round(elapsed, 2), "events_per_s": round(delivered / elapsed, 1),
            **{k: v for k, v in summary_ms(lat).items() if k != "n"}}


async def submissions(stack, n: int, concurrency: int = 8) -> dict:
    import httpx

    async with httpx.AsyncClient(base_url=stack.base, headers=stack.ws_headers(), timeout=30) as client:
        sem = asyncio.Semaphore(concurrency)
        lat: list[float] = []

        async def one():
            async with sem:
                t0 = time.perf_counter()
                r = await client.post("/api/jobs/", json={"kind": "jobs.ticker",
                                                           "params": {"steps": 1, "interval_ms": 0}})
                assert r.status_code == 201, r.text
                lat.append((time.perf_counter() - t0) * 1000)

        started = time.monotonic()
        await asyncio.gather(*(one() for _ in range(n)))
        elapsed = time.monotonic() - started
    return {"submissions": n, "concurrency": concurrency, "per_s": round(n / elapsed, 1), **summary_ms(lat)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=2000)
    ap.add_argument("--interval-ms", type=int, default=5,
                    help="spacing of the one job's events, and of the Redis floor's messages")
    ap.add_argument("--clients", type=int, default=200, help="0 skips the many-clients run")
    ap.add_argument("--steps", type=int, default=50, help="events per job in the throughput run")
    ap.add_argument("--submissions", type=int, default=300, help="0 skips the REST submissions run")
    ap.add_argument("--concurrency", type=int, default=2, help="worker processes")
    args = ap.parse_args()

    from livestack.stack import LiveStack

    stack = LiveStack(concurrency=args.concurrency, env={"JOBS_PROGRESS_MIN_INTERVAL_MS": "0",
                                                         "CELERY_WORKER_MAX_TASKS_PER_CHILD": "100000"}).start()
    try:
        results = {
            "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "machine": {"cores": os.cpu_count(), "python": platform.python_version(),
                        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)},
            "command": " ".join(["python -m bench.latency", *sys.argv[1:]]),
        }
        results["redis_floor"] = asyncio.run(redis_floor(stack.redis_url, args.events, args.interval_ms))
        results["latency_one_job"] = asyncio.run(latency_one_job(stack, args.events, args.interval_ms))
        if args.clients:
            results["throughput"] = asyncio.run(throughput(stack, args.clients, args.steps))
        if args.submissions:
            results["rest_submissions"] = asyncio.run(submissions(stack, args.submissions))
    finally:
        stack.stop()
    floor, one = results["redis_floor"], results["latency_one_job"]
    results["latency_vs_floor"] = {"p50_x": round(one["p50_ms"] / floor["p50_ms"], 1),
                                   "p99_x": round(one["p99_ms"] / floor["p99_ms"], 1)}
    print(f"\n{'measure':38} {'p50 ms':>8} {'p99 ms':>8} {'other':>30}")
    print(f"{'redis PUBLISH→SUBSCRIBE (floor)':38} {floor['p50_ms']:8.3f} {floor['p99_ms']:8.3f} "
          f"{'one every ' + str(args.interval_ms) + ' ms':>30}")
    print(f"{'emit→WebSocket, 1 job, 1 client':38} {one['p50_ms']:8.3f} {one['p99_ms']:8.3f} "
          f"{'events=' + str(one['events']) + ' gapless=' + str(one['gapless']):>30}")
    if "throughput" in results:
        tp = results["throughput"]
        print(f"{'throughput, ' + str(tp['clients']) + ' clients':38} {tp['p50_ms']:8.3f} {tp['p99_ms']:8.3f} "
              f"{str(tp['events_per_s']) + ' ev/s lost=' + str(tp['lost']) + ' dup=' + str(tp['duplicated']):>30}")
    if "rest_submissions" in results:
        rs = results["rest_submissions"]
        print(f"{'REST POST /api/jobs/':38} {rs['p50_ms']:8.3f} {rs['p99_ms']:8.3f} {str(rs['per_s']) + ' /s':>30}")
    print(f"latency vs floor: p50 ×{results['latency_vs_floor']['p50_x']}, p99 ×{results['latency_vs_floor']['p99_x']}")
    out = ROOT / "bench" / "results" / f"latency-{datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(results, indent=2))
    print(f"written {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
