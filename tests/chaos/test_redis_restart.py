"""Fault 3: Redis (broker, channel layer and cache in one) restarted while jobs run.

Pushes sent while Redis is down are lost on the wire, never in the stored log: clients that
notice silence reconnect with after=<last seq> and end with exactly 1..n. daphne's pub/sub
subscriptions come back, so a job started afterwards streams live again.
"""
import asyncio
import random

import pytest

from livestack.stack import wait_until
from tests.chaos.ledger import Follower, audit, ensure_worker, redis_outage, report, worker_crashed

pytestmark = pytest.mark.asyncio(loop_scope="function")


async def test_redis_restart_mid_job_loses_no_event(chaos_stack):
    stack = chaos_stack
    # Only jobs already running: a message still queued in a non-persistent Redis goes with it
    # (see test_queued_jobs_survive_a_redis_restart).
    jobs = [stack.submit(params={"steps": 80, "interval_ms": 60}) for _ in range(4)]
    followers = [Follower(job["id"], (lambda i=i: stack.ws_base(i % 2)), stack.ws_headers(), idle_timeout=2.0)
                 for job in jobs for i in range(2)]
    runs = [asyncio.create_task(f.run(timeout=150, rng=random.Random(n))) for n, f in enumerate(followers)]
    await asyncio.to_thread(wait_until, lambda: all(stack.job(j["id"])["progress"] >= 10 for j in jobs), 60,
                            what="every job under way before the restart")
    seq_at_restart = {j["id"]: stack.job(j["id"])["seq"] for j in jobs}
    # A real outage, not a blink: Redis stays down until every job stored 10 more events.
    await asyncio.to_thread(redis_outage, stack, lambda: all(
        stack.job(j["id"])["seq"] >= seq_at_restart[j["id"]] + 10 for j in jobs))
    await asyncio.wait_for(asyncio.gather(*runs), 180)
    books = audit(stack, [j["id"] for j in jobs], followers)
    assert books.statuses == {"success": 4}
    # Proof the fault bit: pushes failed while Redis was down (the consumers' gap filling or the
    # clients' resync by after= made up for them, as the audit shows).
    lost = sum(p.read_text(errors="replace").count("clients recover by after=seq")
               for p in stack.dir.glob("worker-*.log*"))
    assert lost > 0, "no push failed: the outage was not injected"
    for job in jobs:  # the jobs went on after the restart and ran to their last step
        done = stack.job(job["id"])
        assert done["seq"] > seq_at_restart[job["id"]] and done["result"]["steps"] == 80

    # The same worker keeps consuming (project/broker.py); then a new job must stream live
    # through daphne's re-established subscriptions, with no resync needed.
    assert worker_crashed(stack) is None, worker_crashed(stack)
    replaced = await asyncio.to_thread(ensure_worker, stack)
    assert not replaced, "the worker stopped answering after the Redis restart"
    after = stack.submit(params={"steps": 40, "interval_ms": 50})
    live = [Follower(after["id"], (lambda i=i: stack.ws_base(i)), stack.ws_headers(), idle_timeout=8.0)
            for i in range(2)]
    await asyncio.wait_for(asyncio.gather(*(f.run(timeout=90) for f in live)), 120)
    live_books = audit(stack, [after["id"]], live)
    assert all(f.connects == 1 and f.stalls == 0 for f in live), "live pushes did not come back after the restart"
    report("fault 3 redis restart", books, faults=1, pushes_lost=lost, worker_replaced=replaced,
           live_after_restart_events=live_books.events_checked)


# Celery/kombu 5.7.0 alone fail this: on broker loss the consumer collects the connection and
# then closes it; restoring the unacked (acks_late) message raised AttributeError, an
# "Unrecoverable error", and the worker stopped consuming. project/broker.py fixes it.
async def test_worker_keeps_consuming_after_a_redis_restart(chaos_stack):
    stack = chaos_stack
    job = stack.submit(params={"steps": 30, "interval_ms": 50})
    await asyncio.to_thread(wait_until, lambda: stack.job(job["id"])["status"] == "started", 60, what="job started")
    try:
        await asyncio.to_thread(stack.redis.restart)
        await asyncio.to_thread(wait_until,
                                lambda: worker_crashed(stack) or stack.job(job["id"])["status"] == "success",
                                90, 0.2, what="the job finished, or the worker crashed")
        assert worker_crashed(stack) is None, worker_crashed(stack)
        after = stack.submit(params={"steps": 2, "interval_ms": 0})
        assert (await asyncio.to_thread(stack.wait_job, after["id"], timeout=60))["status"] == "success"
    finally:
        await asyncio.to_thread(stack.wait_job, job["id"], timeout=60)
        await asyncio.to_thread(ensure_worker, stack)
