"""Where a hot request's CPU goes: pyinstrument over N requests through Django's sync stack.

Run:  .venv/bin/python -m bench.http_profile [--path post|job|status] [--requests 300] [--html out.html]

The stack daphne's pool threads run (project/asgi_handler.py runs the sync middleware stack, as
under WSGI), driven in this process by Django's test client against a private redis-server and
SQLite, with Celery sending to that Redis (no worker: only the web side is profiled). Prints
the CPU per request and pyinstrument's tree; bench/http_cost.py is the end-to-end figure.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

from livestack.stack import LiveStack


def _client_for(stack: LiveStack):
    os.environ.update(stack.env)
    import django

    django.setup()
    from django.test import Client

    return Client(HTTP_AUTHORIZATION=f"Token {stack.tokens['alice']}", HTTP_HOST="127.0.0.1")


def _run(request, n: int) -> None:
    for _ in range(n):
        response = request()
        assert response.status_code < 300, response.content


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--path", choices=["post", "job", "status"], default="post")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--html", help="also write pyinstrument's HTML report here")
    parser.add_argument("--cprofile", action="store_true", help="cProfile's cumulative table instead")
    args = parser.parse_args(argv)
    stack = LiveStack(workers=0, daphnes=0, env={"JOBS_THROTTLE_CREATE": "100000/min"})
    try:
        stack._prepare()
        client = _client_for(stack)
        body = {"kind": "jobs.ticker", "params": {"steps": 1, "interval_ms": 0}}
        job_id = client.post("/api/jobs/", body, content_type="application/json").json()["id"]
        saved = client.post("/api/ocr/save/", {"file_name": "p.txt", "ocr_content": "保险计划书\n年龄：35岁\n"},
                            content_type="application/json").json()
        requests = {
            "post": lambda: client.post("/api/jobs/", body, content_type="application/json"),
            "job": lambda: client.get(f"/api/jobs/{job_id}/"),
            "status": lambda: client.get(f"/api/ocr/documents/{saved['document_id']}/status/"),
        }[args.path]
        for _ in range(30):  # warm caches, connections, imports
            requests()
        cpu0 = time.process_time()
        for _ in range(args.requests):
            requests()
        cpu = time.process_time() - cpu0
        print(f"{args.path}: {cpu * 1000 / args.requests:.2f} ms CPU per request (no profiler)")
        if args.cprofile:
            import cProfile
            import pstats

            with cProfile.Profile(time.thread_time) as profile:  # CPU, not waiting on Redis or a loaded machine
                _run(requests, args.requests)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(70)
            return 0
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.001)
        profiler.start()
        _run(requests, args.requests)
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
        if args.html:
            with open(args.html, "w") as f:
                f.write(profiler.output_html())
    finally:
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
