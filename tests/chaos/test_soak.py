"""Fault 7: a soak. Steady load (jobs submitted at a fixed rate, each followed live) while
hundreds of idle feed sockets stay open; daphne and worker RSS (from /proc) and the number of
Redis client connections are sampled throughout.

After a warm-up third, memory may not grow beyond a stated bound and the Redis connection
count may not drift. Duration JOBCAST_SOAK_S (default 60 s for the suite; the 10-minute run
in docs/reliability.md used 600), sockets JOBCAST_SOAK_SOCKETS (default 500).
"""
import asyncio
import json
import os
import random
import time

import pytest
from websockets.asyncio.client import connect

from livestack.stack import wait_until
from tests.chaos.ledger import Follower, audit, descendants, redis_clients, report, rss_kb

pytestmark = pytest.mark.asyncio(loop_scope="function")

DURATION_S = float(os.environ.get("JOBCAST_SOAK_S", "60"))
SOCKETS = int(os.environ.get("JOBCAST_SOAK_SOCKETS", "500"))
JOB_EVERY_S = 0.5
# Growth allowed per process between the end of warm-up and the end of the run.
RSS_GROWTH_BOUND_KB = 25 * 1024
# Redis connections: the long-lived ones (pub/sub, broker, publishers) are constant, but every
# throttled HTTP request opens its own cache connection that only garbage collection closes
# (Django's RedisCache keeps a pool per cache object, one per ASGI request context): a sawtooth,
# bounded, not a leak. Bounds: spread within the steady part, and no upward trend.
REDIS_CLIENT_SPREAD = 60
REDIS_CLIENT_TREND = 15


def _sample(stack) -> dict:
    workers = [p for p in stack.workers if p.poll() is None and "worker" in p.args]
    return {
        "t": time.monotonic(),
        "daphne": [rss_kb(p.pid) for p in stack.daphnes],
        "worker": sum(rss_kb(pid) for p in workers for pid in descendants(p.pid)),
        "worker_main": sum(rss_kb(p.pid) for p in workers),
        "redis_clients": redis_clients(stack),
        "redis_long_lived": redis_clients(stack, min_age_s=10),
    }


async def _idle_socket(stack, index: int, stop: asyncio.Event, pongs: list[int]) -> None:
    """A feed socket of a user with no jobs: it only pings, and must stay open throughout."""
    async with connect(f"{stack.ws_base(index % 2)}/ws/jobs/", additional_headers=stack.ws_headers("bob"),
                       open_timeout=30) as ws:
        while not stop.is_set():
            await ws.send(json.dumps({"action": "ping"}))
            assert json.loads(await asyncio.wait_for(ws.recv(), 30)) == {"type": "pong"}
            pongs[index] += 1
            try:
                await asyncio.wait_for(stop.wait(), 5 + random.random())
            except TimeoutError:
                pass


@pytest.mark.timeout(DURATION_S + 240)  # the run itself, plus warm-up and the closing audit
async def test_soak_memory_and_redis_connections_stay_flat(chaos_stack):
    stack = chaos_stack
    stop = asyncio.Event()
    idle_count = max(SOCKETS - 20, 0)
    pongs = [0] * idle_count
    idle = [asyncio.create_task(_idle_socket(stack, i, stop, pongs)) for i in range(idle_count)]
    await asyncio.to_thread(wait_until, lambda: all(pongs), 60, what="every idle socket answered once")
    jobs, runs, samples = [], [], []
    end = time.monotonic() + DURATION_S
    next_job = next_sample = time.monotonic()
    while time.monotonic() < end:
        now = time.monotonic()
        if now >= next_job:
            job = await asyncio.to_thread(stack.submit, params={"steps": 10, "interval_ms": 30})
            jobs.append(job["id"])
            for i in range(2):
                f = Follower(job["id"], (lambda i=i: stack.ws_base(i)), stack.ws_headers(), idle_timeout=10)
                runs.append((f, asyncio.create_task(f.run(timeout=DURATION_S + 120, rng=random.Random(len(runs))))))
            next_job += JOB_EVERY_S
        if now >= next_sample:
            samples.append(await asyncio.to_thread(_sample, stack))
            next_sample += max(DURATION_S / 20, 2)
        await asyncio.sleep(max(0.0, min(next_job, next_sample, end) - time.monotonic()))
    await asyncio.wait_for(asyncio.gather(*(t for _, t in runs)), 180)
    samples.append(await asyncio.to_thread(_sample, stack))
    assert all(not t.done() for t in idle), [t.exception() for t in idle if t.done()][:3]  # none dropped
    stop.set()
    await asyncio.gather(*idle)
    books = audit(stack, jobs, [f for f, _ in runs])
    assert books.statuses == {"success": len(jobs)}

    steady = [s for s in samples if s["t"] >= samples[0]["t"] + DURATION_S / 3]
    first, last = steady[0], steady[-1]
    growth = {f"daphne{i}": last["daphne"][i] - first["daphne"][i] for i in range(len(first["daphne"]))}
    growth["worker_main"] = last["worker_main"] - first["worker_main"]
    clients = [s["redis_clients"] for s in steady]
    third = max(len(clients) // 3, 1)
    trend = sum(clients[-third:]) / third - sum(clients[:third]) / third
    report("fault 7 soak", books, seconds=DURATION_S, idle_sockets=idle_count, pings=sum(pongs),
           rss_growth_kb=growth, worker_total_kb=(first["worker"], last["worker"]),
           redis_clients=(min(clients), max(clients)), redis_trend=round(trend, 1),
           redis_long_lived=(first["redis_long_lived"], last["redis_long_lived"]), samples=len(samples))
    assert all(g <= RSS_GROWTH_BOUND_KB for g in growth.values()), growth
    assert max(clients) - min(clients) <= REDIS_CLIENT_SPREAD, clients
    assert trend <= REDIS_CLIENT_TREND, clients
