"""Does a GET wait behind another request's database work? 50 keep-alive clients, one slow POST.

Run:  .venv/bin/python -m bench.http_concurrency [--clients 50] [--hold 3]

One stack (private redis-server, SQLite or $DATABASE_URL, one daphne, one worker). Two phases of
`--hold` seconds each, `--clients` keep-alive clients sending GET /api/jobs/<id>/ and the OCR
seed's status GET back to back:

- quiet: nothing else in flight;
- slow request in flight: this process holds the database's write lock (SQLite `BEGIN
  IMMEDIATE`; PostgreSQL `LOCK TABLE jobs_job IN EXCLUSIVE MODE`, which blocks writes and not
  reads) and sends one POST /api/jobs/, which waits on that lock inside daphne for the whole
  phase, as a request stuck behind a long transaction would.

If sync views were served one at a time, every GET of the second phase would wait for the POST
(p50 near `--hold`); here their percentiles should stay near the quiet phase's.
"""
from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
import time
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import httpx

from bench.http_cost import seed_hot_paths
from bench.latency import summary_ms
from bench.report import header, print_table, write_json
from bench.stacks import bench_stack


@contextmanager
def write_lock(database_url: str):
    """Hold the database's write lock (jobs table) until the block ends; reads stay possible."""
    if database_url.startswith("sqlite"):
        conn = sqlite3.connect(urlsplit(database_url).path, isolation_level=None, timeout=30)
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            conn.execute("ROLLBACK")
            conn.close()
        return
    import psycopg

    with psycopg.connect(database_url) as conn:
        conn.execute("LOCK TABLE jobs_job IN EXCLUSIVE MODE")
        yield
        conn.rollback()


async def _gets(client: httpx.AsyncClient, paths: list[str], *, clients: int, seconds: float,
                done_at: list[float] | None = None) -> list[float]:
    """Latencies (ms) of GETs from `clients` concurrent loops for `seconds` (end times into done_at)."""
    latencies: list[float] = []
    done_at = [] if done_at is None else done_at
    deadline = time.perf_counter() + seconds

    async def loop(i: int) -> None:
        while time.perf_counter() < deadline:
            t0 = time.perf_counter()
            response = await client.get(paths[i % len(paths)])
            assert response.status_code == 200, response.text
            done_at.append(time.perf_counter())
            latencies.append((done_at[-1] - t0) * 1000)
            i += 1

    await asyncio.gather(*(loop(i) for i in range(clients)))
    return latencies


async def _phases(base: str, token: dict[str, str], paths: list[str], database_url: str, *,
                  clients: int, seconds: float) -> dict[str, Any]:
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, headers=token, timeout=120, limits=limits) as client, \
            httpx.AsyncClient(base_url=base, headers=token, timeout=120) as poster:
        await asyncio.gather(*(client.get(paths[i % len(paths)]) for i in range(clients)))  # warm connections
        quiet = await _gets(client, paths, clients=clients, seconds=seconds)
        with write_lock(database_url):
            post = asyncio.create_task(poster.post(
                "/api/jobs/", json={"kind": "jobs.ticker", "params": {"steps": 1, "interval_ms": 0}}))
            await asyncio.sleep(0.2)  # let the POST reach its transaction
            done_at: list[float] = []
            gets = asyncio.create_task(_gets(client, paths, clients=clients, seconds=seconds, done_at=done_at))
            await asyncio.sleep(seconds)  # the lock is released after this, whatever the GETs do
            post_done_under_lock = post.done()
            answered_under_lock = len(done_at)
        slow = await gets
        response = await post
    return {"quiet": quiet, "slow": slow, "answered_under_lock": answered_under_lock,
            "slow_post": {"status": response.status_code, "finished_while_locked": post_done_under_lock}}


def measure(*, clients: int, hold: float) -> dict[str, Any]:
    stack = bench_stack(workers=1, daphnes=1, concurrency=2)
    try:
        token = {"Authorization": f"Token {stack.tokens['alice']}"}
        paths = list(seed_hot_paths(stack))
        result = asyncio.run(_phases(stack.base, token, paths, stack.env["DATABASE_URL"], clients=clients,
                                     seconds=hold))
        return {"clients": clients, "hold_s": hold, "slow_post": result["slow_post"],
                "gets_answered_while_the_post_waited": result["answered_under_lock"],
                "phases": [{"phase": "quiet", **summary_ms(result["quiet"])},
                           {"phase": "one POST waiting on the write lock", **summary_ms(result["slow"])}]}
    finally:
        stack.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--hold", type=float, default=3.0, help="seconds per phase (the lock is held this long)")
    args = parser.parse_args(argv)
    result = {**header("http_concurrency"), **measure(clients=args.clients, hold=args.hold)}
    print_table(f"GET latency, {args.clients} keep-alive clients, {args.hold:.0f} s per phase "
                f"(slow POST: {result['slow_post']}; GETs answered while it waited: "
                f"{result['gets_answered_while_the_post_waited']})",
                ["phase", "GETs", "p50 ms", "p95 ms", "p99 ms", "max ms"],
                [[p["phase"], p["n"], p["p50_ms"], p["p95_ms"], p["p99_ms"], p["max_ms"]] for p in result["phases"]])
    write_json("http_concurrency", result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
