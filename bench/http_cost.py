"""HTTP cost: daphne's CPU per request on Jobcast's hot paths, against a bare ASGI app.

Run:  .venv/bin/python -m bench.http_cost [--requests 1500] [--concurrency 16]

One stack (private redis-server, SQLite or $DATABASE_URL, one daphne, one prefork worker) and,
in the same run, a second daphne serving `bench.bare_app:app` (five lines answering
`{"ok": true}`). For each path, `--requests` requests from `--concurrency` keep-alive clients;
the figure is the daphne process's utime+stime (from /proc) over the phase divided by the
requests, and its ratio to the bare app's (measured first and last; the mean of the two). The
worker is paused (SIGSTOP) during the POST phase, so only the web side is counted. Requests per second are wall-clock, from one client
process on the same 2 cores: compare them within a run.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import time
from typing import Any

import httpx

from bench.report import header, print_table, write_json
from bench.stacks import bench_stack
from livestack import procstat
from livestack.redis_server import free_port
from livestack.stack import ROOT, wait_until

SAMPLE_OCR = "保险计划书\n被保险人：陈先生\n年龄：35岁\n"


async def _phase(base: str, pid: int, make_request, *, requests: int, concurrency: int) -> dict[str, Any]:
    """Send `requests` requests from `concurrency` keep-alive clients; daphne CPU and wall time."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
        await asyncio.gather(*(make_request(client) for _ in range(concurrency)))  # warm connections
        remaining = requests
        statuses: dict[int, int] = {}

        async def loop() -> None:
            nonlocal remaining
            while remaining > 0:
                remaining -= 1
                response = await make_request(client)
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

        cpu0, t0 = procstat.cpu_seconds(pid), time.perf_counter()
        await asyncio.gather(*(loop() for _ in range(concurrency)))
        wall, cpu = time.perf_counter() - t0, procstat.cpu_seconds(pid) - cpu0
    return {"cpu_ms": cpu * 1000 / requests, "rps": requests / wall, "statuses": statuses}


def _bare_daphne(env: dict[str, str]) -> tuple[subprocess.Popen, int]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "bench.bare_app:app"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)

    def answers() -> bool:
        try:
            return httpx.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False
    wait_until(answers, 60, what="the bare ASGI app on daphne")
    return proc, port


def seed_hot_paths(stack) -> tuple[str, str]:
    """A finished job's GET path and an OCR document's status path, both alice's."""
    job = stack.submit(params={"steps": 1, "interval_ms": 0})
    stack.wait_job(job["id"])
    with stack.client() as client:
        saved = client.post("/api/ocr/save/", json={"file_name": "bench.txt", "ocr_content": SAMPLE_OCR}).json()
    return f"/api/jobs/{job['id']}/", f"/api/ocr/documents/{saved['document_id']}/status/"


def measure(*, requests: int, concurrency: int) -> dict[str, Any]:
    stack = bench_stack(workers=1, daphnes=1, concurrency=2)
    bare, bare_port = _bare_daphne(stack.env)
    try:
        token = {"Authorization": f"Token {stack.tokens['alice']}"}
        job_path, status_path = seed_hot_paths(stack)
        daphne = stack.daphnes[0].pid

        def get(path: str, headers: dict[str, str] | None = None):
            return lambda client: client.get(path, headers=headers)

        paths: list[tuple[str, str, Any]] = [
            ("bare ASGI app", f"http://127.0.0.1:{bare_port}", get("/")),
            ("static file (whitenoise)", stack.base, get("/static/jobcast/css/jobcast.css")),
            ("GET /api/jobs/<id>/", stack.base, get(job_path, token)),
            ("GET /api/ocr/documents/<id>/status/", stack.base, get(status_path, token)),
            ("POST /api/jobs/", stack.base,
             lambda client: client.post("/api/jobs/", headers=token,
                                        json={"kind": "jobs.ticker", "params": {"steps": 1, "interval_ms": 0}})),
        ]
        # The floor is measured first and again last: between two quiet runs its CPU per request
        # moved ×1.5 (docs/benchmarks.md), so each run shows its own drift and divides by the mean.
        paths.append(("bare ASGI app, again", *paths[0][1:]))
        rows = []
        for name, base, make_request in paths:
            pid = bare.pid if base.endswith(f":{bare_port}") else daphne
            paused = name.startswith("POST")
            if paused:
                os.killpg(stack.workers[0].pid, signal.SIGSTOP)
            try:
                result = asyncio.run(_phase(base, pid, make_request, requests=requests, concurrency=concurrency))
            finally:
                if paused:
                    os.killpg(stack.workers[0].pid, signal.SIGCONT)
            rows.append({"path": name, **result})
        floor = (rows[0]["cpu_ms"] + rows[-1]["cpu_ms"]) / 2
        for row in rows:
            row["ratio"] = row["cpu_ms"] / floor
        return {"requests": requests, "concurrency": concurrency, "rows": rows}
    finally:
        os.killpg(bare.pid, signal.SIGTERM)
        bare.wait(15)
        stack.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=1500)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args(argv)
    result = {**header("http_cost"), **measure(requests=args.requests, concurrency=args.concurrency)}
    print_table(f"daphne CPU per request, {args.requests} requests from {args.concurrency} keep-alive clients",
                ["path", "CPU ms/request", "× bare app", "requests/s", "statuses"],
                [[r["path"], f"{r['cpu_ms']:.2f}", f"×{r['ratio']:.1f}", f"{r['rps']:.0f}",
                  " ".join(f"{k}:{v}" for k, v in sorted(r["statuses"].items()))] for r in result["rows"]])
    write_json("http_cost", result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
