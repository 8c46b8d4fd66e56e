"""Memory: daphne's RSS per idle WebSocket connection.

Run:  .venv/bin/python -m bench.memory [--sockets 1000]

One stack (private redis-server, SQLite, one worker). Each phase uses a fresh daphne process,
warmed by one connection (imports, the channel layer's Redis connection), then opens
`--sockets` idle sockets and reads daphne's RSS (VmRSS) once it has settled:
  feed  /ws/jobs/ of one user (all sockets in the same `user.<id>` group);
  job   /ws/jobs/<id>/ of one finished job (snapshot + replay sent, then idle).
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
    return {"feed": feed, "job": per_job}


def print_results(results: dict[str, Any]) -> None:
    """The memory table."""
    rows = [[name, p["sockets"],
             p["rss_mib_before"], p["rss_mib_open"], p["rss_mib_after_close"], p["kib_per_socket"],
             p["idle_cpu_share"]]
            for name, p in (("feed /ws/jobs/", results["feed"]), ("job /ws/jobs/<id>/", results["job"]))]
    print_table("daphne RSS with idle WebSocket connections",
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
