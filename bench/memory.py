"""Memory: daphne's RSS per idle WebSocket connection and per open SSE stream.

Run:  .venv/bin/python -m bench.memory [--sockets 1000]

One stack (private redis-server, SQLite, one worker). Each phase uses a fresh daphne process,
warmed by one connection (imports, the channel layer's Redis connection), then opens
`--sockets` idle sockets and reads daphne's RSS (VmRSS) once it has settled:
  feed  /ws/jobs/ of one user (all sockets in the same `user.<id>` group);
  job   /ws/jobs/<id>/ of one finished job (snapshot + replay sent, then idle);
  sse   GET /api/jobs/<id>/stream/ of one running, quiet job (snapshot + replay read, then idle;
        a finished job's stream would end at once).
Reported: RSS before, with the sockets open, after closing them, and the increase per socket.
"""
from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path
from typing import Any

from bench.report import header, print_table, write_json
from bench.stacks import bench_stack
from livestack import procstat
from livestack.stack import LiveStack, wait_until


def settled_rss(pid: int, seconds: float = 2.0) -> int:
    """RSS after a short pause, so allocations of the last handshakes are counted."""
    time.sleep(seconds)
    return procstat.rss_bytes(pid)


async def open_sockets(url: str, headers: dict[str, str], n: int, parallel: int = 50) -> list:
    """Open `n` sockets and read their first frame if one comes (a job socket's snapshot)."""
    from websockets.asyncio.client import connect

    gate = asyncio.Semaphore(parallel)

    async def one():
        async with gate:
            ws = await connect(url, additional_headers=headers, max_size=None, open_timeout=120,
                               ping_interval=None)
            return ws

    return await asyncio.gather(*(one() for _ in range(n)))


async def open_streams(url: str, headers: dict[str, str], n: int, parallel: int = 50):
    """Open `n` SSE streams and read each one's snapshot; returns the client and the open responses."""
    import httpx

    client = httpx.AsyncClient(timeout=httpx.Timeout(120), limits=httpx.Limits(max_connections=None,
                                                                             max_keepalive_connections=0))
    gate = asyncio.Semaphore(parallel)

    async def one():
        async with gate:
            response = await client.send(client.build_request("GET", url, headers=headers), stream=True)
            lines = response.aiter_lines()
            while (await anext(lines)) != "":  # through the snapshot message
                pass
            return response

    return client, await asyncio.gather(*(one() for _ in range(n)))


async def sse_phase(stack: LiveStack, index: int, job_id: str, n: int, settle: float) -> dict[str, Any]:
    """As `idle_phase`, with `n` open SSE streams of one running job."""
    pid = stack.daphnes[index].pid
    url = f"http://127.0.0.1:{stack.daphne_ports[index]}/api/jobs/{job_id}/stream/"
    client, warm = await open_streams(url, stack.ws_headers(), 1)
    await warm[0].aclose()
    before = await asyncio.to_thread(settled_rss, pid, settle)
    started = time.monotonic()
    _, streams = await open_streams(url, stack.ws_headers(), n)
    connect_s = time.monotonic() - started
    during = await asyncio.to_thread(settled_rss, pid, settle)
    cpu_idle0 = procstat.cpu_seconds(pid)
    await asyncio.sleep(settle)
    idle_cpu = procstat.cpu_seconds(pid) - cpu_idle0
    await asyncio.gather(*(r.aclose() for r in streams))
    await client.aclose()
    after = await asyncio.to_thread(settled_rss, pid, settle)
    return {"path": "/api/jobs/<id>/stream/", "sockets": n, "connect_s": round(connect_s, 2),
            "rss_mib_before": round(before / 2**20, 1), "rss_mib_open": round(during / 2**20, 1),
            "rss_mib_after_close": round(after / 2**20, 1),
            "kib_per_socket": round((during - before) / n / 1024, 1),
            "idle_cpu_share": round(idle_cpu / settle, 3)}


async def idle_phase(stack: LiveStack, index: int, path: str, n: int, settle: float) -> dict[str, Any]:
    """RSS of daphne `index` before, with `n` idle sockets on `path` open, and after closing them."""
    pid = stack.daphnes[index].pid
    url = f"{stack.ws_base(index)}{path}"
    warm = await open_sockets(url, stack.ws_headers(), 1)
    await warm[0].close()
    before = await asyncio.to_thread(settled_rss, pid, settle)
    started = time.monotonic()
    sockets = await open_sockets(url, stack.ws_headers(), n)
    connect_s = time.monotonic() - started
    during = await asyncio.to_thread(settled_rss, pid, settle)
    cpu_idle0 = procstat.cpu_seconds(pid)
    await asyncio.sleep(settle)
    idle_cpu = procstat.cpu_seconds(pid) - cpu_idle0
    await asyncio.gather(*(ws.close() for ws in sockets))
    after = await asyncio.to_thread(settled_rss, pid, settle)
    return {"path": path, "sockets": n, "connect_s": round(connect_s, 2),
            "rss_mib_before": round(before / 2**20, 1), "rss_mib_open": round(during / 2**20, 1),
            "rss_mib_after_close": round(after / 2**20, 1),
            "kib_per_socket": round((during - before) / n / 1024, 1),
            "idle_cpu_share": round(idle_cpu / settle, 3)}


def measure(stack: LiveStack, *, sockets: int, settle: float = 2.0) -> dict[str, Any]:
    """Feed sockets on the stack's first daphne, job sockets on a fresh second one."""
    job = stack.submit(params={"steps": 5, "interval_ms": 0})
    stack.wait_job(job["id"])
    feed = asyncio.run(idle_phase(stack, 0, "/ws/jobs/", sockets, settle))
    while len(stack.daphnes) < 2:
        stack.start_daphne()
    wait_until(lambda: stack._answers(stack.daphne_ports[1]), 60, what="second daphne")
    per_job = asyncio.run(idle_phase(stack, 1, f"/ws/jobs/{job['id']}/", sockets, settle))
    # SSE streams follow a running job (a finished one's stream ends after the snapshot): one
    # that reports once a minute, cancelled afterwards.
    quiet = stack.submit(params={"steps": 1000, "interval_ms": 60_000})
    stack.wait_job(quiet["id"], statuses=("started",))
    while len(stack.daphnes) < 3:
        stack.start_daphne()
    try:
        sse = asyncio.run(sse_phase(stack, 2, quiet["id"], sockets, settle))
    finally:
        with stack.client() as c:
            c.post(f"/api/jobs/{quiet['id']}/cancel/")
    return {"feed": feed, "job": per_job, "sse": sse}


def print_results(results: dict[str, Any]) -> None:
    """The memory table."""
    rows = [[name, p["sockets"],
             p["rss_mib_before"], p["rss_mib_open"], p["rss_mib_after_close"], p["kib_per_socket"],
             p["idle_cpu_share"]]
            for name, p in (("feed /ws/jobs/", results["feed"]), ("job /ws/jobs/<id>/", results["job"]),
                            ("SSE /api/jobs/<id>/stream/", results.get("sse")))
            if p is not None]
    print_table("daphne RSS with idle WebSocket connections and SSE streams",
                ["socket", "n", "RSS before MiB", "RSS open MiB", "after close MiB", "KiB/socket", "idle CPU"],
                rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sockets", type=int, default=1000)
    ap.add_argument("--settle", type=float, default=2.0, help="seconds to wait before reading RSS")
    ap.add_argument("--out", type=Path, default=None, help="directory for the JSON (default bench/results)")
    args = ap.parse_args(argv)

    procstat.raise_open_file_limit()
    results = header("memory")
    stack = bench_stack()
    try:
        results.update(measure(stack, sockets=args.sockets, settle=args.settle))
    finally:
        stack.stop()
    print_results(results)
    write_json("memory", results, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
