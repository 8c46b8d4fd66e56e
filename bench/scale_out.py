"""Scale-out: one daphne + one worker against two daphnes + two workers, on the same machine.

Run:  .venv/bin/python -m bench.scale_out [--clients 200] [--steps 50] [--rounds 2]

Two stacks run side by side (each its own redis-server, SQLite, processes); rounds alternate
between them so both see the same machine noise. A round submits `--clients` ticker jobs
(`--steps` events each, no pause), 20 POSTs at a time, and follows each with its own
/ws/jobs/<id>/ socket opened right after its POST, the sockets spread round-robin over the
stack's daphnes. Reported per round: delivered events/s (submission included), event `ts` →
client latency of live events (events replayed on connect are counted, not timed), lost and
duplicated events, and the CPU used
by daphnes, workers (pool children included), redis and this client process, as a share of
one core: with 2 cores the sum cannot pass 2.0, which is where adding processes stops helping.

Across hosts:  .venv/bin/python -m bench.scale_out --netns --redis-delay-ms 50   (root)
Each redis-server, daphne and worker then runs on a test host of its own (a network namespace,
livestack/netns.py) with a PostgreSQL database reached over the bridge (--database-url, else
$DATABASE_URL), and Redis's answers are delayed by --redis-delay-ms. The relays' CPU (database,
and the Redis delay where the kernel has no sch_netem) is reported apart.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from bench.report import header, print_table, ratio, summary_ms, write_json
from bench.stacks import bench_stack, parse_ts
from livestack import procstat
from livestack.stack import TERMINAL, LiveStack


def cpu_by_role(stack: LiveStack) -> dict[str, float]:
    """CPU seconds so far of the stack's daphnes, workers (with pool children), redis and this client."""
    return {"daphnes": sum(procstat.cpu_seconds(p.pid) for p in stack.daphnes),
            "workers": sum(procstat.tree_cpu_seconds(p.pid) for p in stack.workers),
            "redis": procstat.cpu_seconds(stack.redis.proc.pid),
            "relays": sum(procstat.cpu_seconds(p.pid) for p in getattr(stack, "relays", [])),
            "clients": procstat.cpu_seconds(os.getpid())}


async def submit_and_follow(stack: LiveStack, client, index: int, steps: int, out: dict) -> None:
    """Create one ticker job and follow it on daphne `index % n` to its end (live events timed)."""
    import json

    from websockets.asyncio.client import connect
    from websockets.exceptions import InvalidHandshake, InvalidMessage

    r = await client.post("/api/jobs/", json={"kind": "jobs.ticker", "params": {"steps": steps, "interval_ms": 0}})
    r.raise_for_status()
    out["id"] = r.json()["id"]
    url = f"{stack.ws_base(index % len(stack.daphnes))}/ws/jobs/{out['id']}/?after=0"
    for attempt in range(5):  # daphne drops a handshake its app did not accept within 5 s (loaded machine)
        try:
            ws = await connect(url, additional_headers=stack.ws_headers(), max_size=None, open_timeout=120)
            break
        except (OSError, InvalidHandshake, InvalidMessage):
            if attempt == 4:
                raise
            out["handshake_retries"] = out.get("handshake_retries", 0) + 1
            await asyncio.sleep(0.5)
    async with ws:
        snapshot_seq = 0
        async for raw in ws:
            now = time.time()
            frame = json.loads(raw)
            if frame.get("type") == "snapshot":
                snapshot_seq = frame["job"]["seq"]
                continue
            if frame.get("type") != "event":
                continue
            out["seqs"].append(frame["seq"])
            if frame["seq"] > snapshot_seq:  # replayed events were not pushed: not timed
                out["lat"].append((now - parse_ts(frame["ts"])) * 1000)
            if frame["event"] in TERMINAL:
                return


async def follow_all(stack: LiveStack, clients: int, steps: int) -> list[dict]:
    """`clients` jobs submitted 20 at a time, each followed on its own socket."""
    import httpx

    outs = [{"id": None, "seqs": [], "lat": []} for _ in range(clients)]
    limits = httpx.Limits(max_connections=20)
    async with httpx.AsyncClient(base_url=stack.base, headers=stack.ws_headers(), timeout=120,
                                 limits=limits) as client:
        await asyncio.gather(*(submit_and_follow(stack, client, i, steps, out) for i, out in enumerate(outs)))
    return outs


def run_round(stack: LiveStack, *, clients: int, steps: int) -> dict[str, Any]:
    """Submit, follow every job to its end, and count what arrived."""
    cpu0 = cpu_by_role(stack)
    started = time.monotonic()
    outs = asyncio.run(follow_all(stack, clients, steps))
    seconds = time.monotonic() - started
    cpu1 = cpu_by_role(stack)
    stored = [stack.job(o["id"])["seq"] for o in outs]
    delivered = sum(len(o["seqs"]) for o in outs)
    lost = sum(len(set(range(1, n + 1)) - set(o["seqs"])) for n, o in zip(stored, outs))
    duplicated = sum(len(o["seqs"]) - len(set(o["seqs"])) for o in outs)
    cpu_share = {role: round((cpu1[role] - cpu0[role]) / seconds, 2) for role in cpu0}
    server_total = round(sum(v for role, v in cpu_share.items() if role != "clients"), 2)
    return {"clients": clients, "events_delivered": delivered, "events_stored": sum(stored),
            "seconds": round(seconds, 2), "events_per_s": round(delivered / seconds, 1),
            "lost": lost, "duplicated": duplicated, "handshake_retries": sum(o.get("handshake_retries", 0) for o in outs), "latency": summary_ms([x for o in outs for x in o["lat"]]),
            "cpu_share": {**cpu_share, "server_total": server_total}}


def measure(stacks: dict[str, LiveStack], *, clients: int, steps: int, rounds: int) -> dict[str, Any]:
    """Alternate rounds between the configurations; summarise each and compare."""
    results: dict[str, list[dict]] = {name: [] for name in stacks}
    for _ in range(rounds):
        for name, stack in stacks.items():
            results[name].append(run_round(stack, clients=clients, steps=steps))
    summary = {name: {"events_per_s_mean": round(statistics.mean(r["events_per_s"] for r in rs), 1),
                      "p99_ms_median": round(statistics.median(r["latency"]["p99_ms"] for r in rs), 3),
                      "lost": sum(r["lost"] for r in rs), "duplicated": sum(r["duplicated"] for r in rs)}
               for name, rs in results.items()}
    names = list(stacks)
    comparison = None
    if len(names) == 2:
        comparison = {"throughput_x": ratio(summary[names[1]]["events_per_s_mean"],
                                            summary[names[0]]["events_per_s_mean"])}
    return {"rounds": results, "summary": summary, "comparison": comparison}


def print_results(results: dict[str, Any]) -> None:
    """One row per round and configuration, and the throughput ratio."""
    rows = []
    for name, rounds in results["rounds"].items():
        for i, r in enumerate(rounds, 1):
            c = r["cpu_share"]
            rows.append([f"{name} #{i}", r["events_per_s"], r["latency"]["p50_ms"], r["latency"]["p99_ms"], r["lost"],
                         r["duplicated"], c["daphnes"], c["workers"], c["redis"], c["server_total"], c["clients"]])
    print_table(f"scale-out: {results['params']['clients']} clients × {results['params']['steps']} events, "
                "CPU as a share of one core",
                ["config", "events/s", "p50 ms", "p99 ms", "lost", "dup", "daphne CPU", "worker CPU", "redis CPU",
                 "server CPU", "client CPU"], rows)
    if any(r["cpu_share"]["relays"] for rounds in results["rounds"].values() for r in rounds):
        print("relay CPU (netns): " + ", ".join(f"{name} #{i} {r['cpu_share']['relays']}"
                                                for name, rounds in results["rounds"].items()
                                                for i, r in enumerate(rounds, 1)))
    if results["comparison"]:
        print(f"2 daphnes + 2 workers ÷ 1 + 1 throughput: ×{results['comparison']['throughput_x']}")


def netns_stack(n: int, args: argparse.Namespace) -> LiveStack:
    """`n` daphnes and `n` workers, each on its own network namespace, Redis delayed as asked."""
    from bench.stacks import BENCH_ENV
    from livestack.netns import NetnsStack

    stack = NetnsStack(workers=n, daphnes=n, concurrency=args.concurrency, database_url=args.database_url,
                       env=BENCH_ENV, visibility_timeout_s=600).start()  # no link is cut here
    if args.redis_delay_ms:
        stack.redis_delay(args.redis_delay_ms)
    return stack


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--steps", type=int, default=50, help="progress events per job")
    ap.add_argument("--rounds", type=int, default=2, help="rounds per configuration, alternating")
    ap.add_argument("--concurrency", type=int, default=2, help="pool processes per worker")
    ap.add_argument("--out", type=Path, default=None, help="directory for the JSON (default bench/results)")
    ap.add_argument("--netns", action="store_true", help="every process on a test host of its own (root)")
    ap.add_argument("--redis-delay-ms", type=int, default=0, help="with --netns: Redis's answers this late")
    ap.add_argument("--database-url", default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
                    help="with --netns: the PostgreSQL server for the stacks' databases")
    args = ap.parse_args(argv)

    procstat.raise_open_file_limit()
    results = header("scale_out")
    results["params"] = {"clients": args.clients, "steps": args.steps, "rounds": args.rounds,
                         "worker_concurrency": args.concurrency, "netns": args.netns,
                         "redis_delay_ms": args.redis_delay_ms if args.netns else 0}
    stacks: dict[str, LiveStack] = {}
    try:
        for n in (1, 2):
            stack = netns_stack(n, args) if args.netns else bench_stack(workers=n, daphnes=n,
                                                                        concurrency=args.concurrency)
            stacks["1 daphne + 1 worker" if n == 1 else "2 daphnes + 2 workers"] = stack
        results.update(measure(stacks, clients=args.clients, steps=args.steps, rounds=args.rounds))
    finally:
        for stack in stacks.values():
            stack.stop()
    print_results(results)
    write_json("scale_out", results, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
