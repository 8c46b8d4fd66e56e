"""Fault 5: a reconnect storm. Many clients follow many ticker jobs, each hanging up at random
moments (half of them abruptly, with no close frame), and all of them at once in the middle.

Every client resumes with after=<last seq>; at the end each holds exactly seq 1..n of its job.
Sized by JOBCAST_STORM_CLIENTS / JOBCAST_STORM_JOBS (defaults 500 / 100, the issue's figures).
"""
import asyncio
import os
import random
import time

import pytest

from tests.chaos.ledger import Follower, audit, report

pytestmark = pytest.mark.asyncio(loop_scope="function")

CLIENTS = int(os.environ.get("JOBCAST_STORM_CLIENTS", "500"))
JOBS = int(os.environ.get("JOBCAST_STORM_JOBS", "100"))


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
        f = Follower(job["id"], (lambda i=n % 2: stack.ws_base(i)), stack.ws_headers(), idle_timeout=6.0)
        drops = [t0 + rng.uniform(0.2, 15.0) for _ in range(rng.randint(1, 3))] + [storm_at]
        followers.append(f)
        runs.append(f.run(timeout=170, drop_at=drops, rng=random.Random(n)))
    await asyncio.wait_for(asyncio.gather(*runs), 180)
    books = audit(stack, [j["id"] for j in jobs], followers)
    assert books.statuses == {"success": JOBS}
    assert books.drops >= CLIENTS, "the storm did not happen"
    report("fault 5 reconnect storm", books, clients=CLIENTS, jobs=JOBS,
           seconds=round(time.monotonic() - started, 1))
