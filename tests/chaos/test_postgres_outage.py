"""Fault 6: PostgreSQL connections of a worker terminated mid-job (pg_terminate_backend).

Only with DATABASE_URL on PostgreSQL (CI runs the suite both ways). The job must either
finish with a complete log or fail cleanly, and what clients were told must be what the
database holds: never a job stuck `started`, never a pushed event missing from the log.
"""
import asyncio
import os
import random

import pytest

from livestack.stack import wait_until
from tests.chaos.ledger import Follower, audit, descendants, report

pytestmark = [
    pytest.mark.asyncio(loop_scope="function"),
    pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
                       reason="needs DATABASE_URL on PostgreSQL"),
]


def _socket_inodes(pid: int) -> set[int]:
    inodes = set()
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(int(target[8:-1]))
    except OSError:
        pass
    return inodes


def _local_ports_to(port: int, inodes: set[int]) -> set[int]:
    """Local ports of the TCP connections (owned by `inodes`) whose remote port is `port`."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = open(table).read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local, remote, inode = fields[1], fields[2], int(fields[9])
            if inode in inodes and int(remote.rsplit(":", 1)[1], 16) == port:
                found.add(int(local.rsplit(":", 1)[1], 16))
    return found


def terminate_worker_backends(stack) -> int:
    """pg_terminate_backend for every connection the worker processes hold; returns how many."""
    import psycopg

    pids = [pid for proc in stack.workers if proc.poll() is None for pid in descendants(proc.pid)]
    inodes = set().union(*(_socket_inodes(pid) for pid in pids))
    pg_port = int(stack.env["DATABASE_URL"].rsplit("@", 1)[-1].split("/")[0].partition(":")[2] or 5432)
    ports = _local_ports_to(pg_port, inodes)
    with psycopg.connect(stack._pg_url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND client_port = ANY(%s)",
            (stack.pg_db, list(ports))).fetchall()
    return len(rows)


async def test_worker_losing_its_database_connections_fails_cleanly_or_finishes(chaos_stack):
    stack = chaos_stack
    jobs = [stack.submit(params={"steps": 60, "interval_ms": 50}) for _ in range(3)]
    followers = [Follower(j["id"], (lambda i=i: stack.ws_base(i % 2)), stack.ws_headers(), idle_timeout=3)
                 for j in jobs for i in range(2)]
    runs = [asyncio.create_task(f.run(timeout=30, rng=random.Random(n))) for n, f in enumerate(followers)]
    await asyncio.to_thread(wait_until, lambda: all(stack.job(j["id"])["progress"] >= 10 for j in jobs), 60,
                            what="every job under way")
    killed = 0
    for _ in range(15):  # a brief outage (~1.5 s): the worker's connections are cut as soon as they reopen
        killed += await asyncio.to_thread(terminate_worker_backends, stack)
        await asyncio.sleep(0.1)
    assert killed > 0, "no worker connection found to terminate"
    try:
        await asyncio.wait_for(asyncio.gather(*runs), 45)
    finally:
        stuck = [j["id"] for j in jobs if stack.job(j["id"])["status"] == "started"]
        with stack.client() as client:
            for job_id in stuck:  # leave the shared stack clean for the next test
                client.post(f"/api/jobs/{job_id}/cancel/")
    books = audit(stack, [j["id"] for j in jobs], followers)
    errors = set()
    for job in jobs:
        done = stack.job(job["id"])
        assert done["status"] in ("success", "failure")
        if done["status"] == "failure":
            assert done["error"]["message"], done
            errors.add(f'{done["error"]["type"]}: {done["error"]["message"][:60]}')
    after = stack.submit(params={"steps": 3, "interval_ms": 0})  # the worker still works afterwards
    assert (await asyncio.to_thread(stack.wait_job, after["id"], timeout=60))["status"] == "success"
    report("fault 6 postgres backends terminated", books, faults=15, backends_terminated=killed, errors=sorted(errors))
