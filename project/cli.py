"""The `jobcast` command line (also `python -m project`).

Process commands (`run`, `worker`, `beat`, `flower`, `stop`), operator views that read the broker
and database directly (`status`, `purge`), and API clients of a running server (`submit`, `tail`,
`monitor`: JOBCAST_URL and JOBCAST_TOKEN, or --url/--token/--user). The work is done in
`apps.ops` (pidfiles, control, client, terminal); this module only parses and dispatches.
"""
from __future__ import annotations

import argparse
import json
import os
import sys

EXIT_USAGE = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jobcast", description="Run and operate Jobcast.")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="the whole development stack: Redis if needed, migrations, demo user, "
                                     "web, worker and beat (logs in logs/, pidfiles in run/)")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8000)

    worker = sub.add_parser("worker", help="a Celery worker (pidfile run/worker-<name>.pid)")
    worker.add_argument("--queues", "-Q", help="comma-separated queues (default: all)")
    worker.add_argument("--concurrency", "-c", type=int)
    worker.add_argument("--pool", choices=["prefork", "solo", "threads"], default="prefork",
                        help="solo on Windows")
    worker.add_argument("--name", "-n", help="node name (default: the queues, or 'all'), '@%%h' is added")
    worker.add_argument("--loglevel", "-l", default="info")

    beat = sub.add_parser("beat", help="the Celery beat scheduler (run exactly one; pidfile run/beat.pid)")
    beat.add_argument("--loglevel", "-l", default="info")

    flower = sub.add_parser("flower", help="Flower, Celery's web monitor, on the same broker")
    flower.add_argument("--port", type=int, default=5555)
    flower.add_argument("--address", default="127.0.0.1")

    status = sub.add_parser("status", help="workers and their queues, tasks, queue lengths, kinds, "
                                           "Redis and database reachability")
    status.add_argument("--json", action="store_true", help="machine-readable output")
    status.add_argument("--timeout", type=float, default=1.0, help="seconds to wait for worker replies")

    stop = sub.add_parser("stop", help="warm shutdown of the processes started here (by pidfile)")
    stop.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for running tasks")
    stop.add_argument("--cold", action="store_true", help="do not wait for running tasks (they are redelivered)")

    purge = sub.add_parser("purge", help="delete waiting messages from queues (asks first)")
    purge.add_argument("--queue", "-Q", action="append", help="queue to purge (repeat or comma-separate; "
                                                             "default: every queue)")
    purge.add_argument("--yes", "-y", action="store_true", help="do not ask")

    def api_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--url", help="server (default: JOBCAST_URL or http://127.0.0.1:8000)")
        p.add_argument("--token", help="API token (default: JOBCAST_TOKEN)")
        p.add_argument("--user", help="log in as this user (password from JOBCAST_PASSWORD or a prompt)")

    monitor = sub.add_parser("monitor", help="live view of running jobs with progress bars (WebSocket feed)")
    api_options(monitor)
    monitor.add_argument("--linger", type=float, default=10.0, help="seconds a finished job stays listed")
    monitor.add_argument("--duration", type=float, help="quit after this many seconds")

    submit = sub.add_parser("submit", help="submit a job; with --follow, draw its progress until it ends")
    api_options(submit)
    submit.add_argument("kind")
    submit.add_argument("--param", "-p", action="append", default=[], metavar="KEY=VALUE",
                        help="a parameter; VALUE is JSON when it parses (5, true, null, [1]), else a string")
    submit.add_argument("--params", help="all parameters as one JSON object")
    submit.add_argument("--priority", type=int, choices=range(10), metavar="0-9")
    submit.add_argument("--follow", "-f", action="store_true",
                        help="follow the job; exit 0 on success, 1 on failure, 2 if cancelled")
    submit.add_argument("--quiet", "-q", action="store_true", help="no progress bar, only the outcome")

    tail = sub.add_parser("tail", help="follow a job until it ends; exit 0 on success, 1 on failure, 2 if cancelled")
    api_options(tail)
    tail.add_argument("job_id")
    tail.add_argument("--quiet", "-q", action="store_true", help="no progress bar, only the outcome")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    handler = globals()[f"_cmd_{args.command}"]
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130


# --- processes ----------------------------------------------------------------------------

def _cmd_run(args) -> int:
    from project.devstack import run as run_stack

    return run_stack(args.host, args.port)


def _exec_celery(celery_args: list[str]) -> int:
    os.execv(sys.executable, [sys.executable, "-m", "celery", "-A", "project", *celery_args])
    return 0  # not reached


def _cmd_worker(args) -> int:
    from apps.ops.pidfiles import run_dir, worker_pidfile

    name = args.name or (args.queues.replace(",", "+") if args.queues else "all")
    run_dir().mkdir(parents=True, exist_ok=True)
    celery_args = ["worker", "-l", args.loglevel, "--pool", args.pool, "-n", f"{name.split('@')[0]}@%h",
                   "--pidfile", str(worker_pidfile(name))]
    if args.queues:
        celery_args += ["-Q", args.queues]
    if args.concurrency:
        celery_args += ["-c", str(args.concurrency)]
    return _exec_celery(celery_args)


def _cmd_beat(args) -> int:
    from apps.ops.pidfiles import run_dir

    run_dir().mkdir(parents=True, exist_ok=True)
    return _exec_celery(["beat", "-l", args.loglevel, "--pidfile", str(run_dir() / "beat.pid"),
                         "-s", str(run_dir() / "celerybeat-schedule")])


def _cmd_flower(args) -> int:
    return _exec_celery(["flower", f"--port={args.port}", f"--address={args.address}"])


def _cmd_stop(args) -> int:
    from rich.console import Console

    from apps.ops.pidfiles import read_pidfiles, run_dir, stop_all

    console = Console()
    if not read_pidfiles():
        console.print(f"nothing to stop: no pidfiles in {run_dir()}")
        return 0
    if not args.cold:
        console.print(f"warm shutdown: running tasks may finish (up to {args.timeout:g}s) …")
    outcomes = stop_all(timeout=args.timeout, cold=args.cold)
    for o in outcomes:
        colour = {"stopped": "green", "still running": "red"}.get(o.outcome, "yellow")
        console.print(f"  {o.name:<30} pid {o.pid}  [{colour}]{o.outcome}[/]")
    return 1 if any(o.outcome == "still running" for o in outcomes) else 0


# --- operator views (broker and database) -------------------------------------------------

def _django() -> None:
    import django

    django.setup()


def _cmd_status(args) -> int:
    from rich.console import Console

    _django()
    from apps.ops.control import status_report
    from apps.ops.terminal import print_status

    report = status_report(timeout=args.timeout)
    if args.json:
        print(json.dumps(report, indent=2, default=str))
    else:
        print_status(report, Console())
    return 0 if all(v == "ok" for v in report["health"].values()) else 1


def _cmd_purge(args) -> int:
    from rich.console import Console
    from rich.prompt import Confirm

    _django()
    from apps.ops.control import UnknownQueue, known_queues, queue_purge
    from apps.ops.exposition import queue_lengths

    console = Console()
    queues = [q.strip() for item in (args.queue or []) for q in item.split(",") if q.strip()] or known_queues()
    unknown = sorted(set(queues) - set(known_queues()))
    if unknown:
        console.print(f"[red]unknown queue(s): {', '.join(unknown)}[/]; known: {', '.join(known_queues())}")
        return EXIT_USAGE
    lengths = queue_lengths(queues)
    waiting = sum(lengths.values())
    if not waiting:
        console.print(f"nothing to purge: {', '.join(queues)} {'is' if len(queues) == 1 else 'are'} empty")
        return 0
    for queue, length in lengths.items():
        if length:
            console.print(f"  {queue:<16} {length} waiting")
    if not args.yes and not Confirm.ask(f"Delete {waiting} waiting message(s)? Their jobs will be cancelled",
                                        console=console, default=False):
        console.print("nothing deleted")
        return 1
    try:
        outcome = queue_purge(queues)
    except UnknownQueue as exc:
        console.print(f"[red]{exc}[/]")
        return EXIT_USAGE
    total = sum(outcome["purged"].values())
    console.print(f"purged {total} message(s); {outcome['jobs_cancelled']} pending job(s) cancelled")
    return 0


# --- API clients --------------------------------------------------------------------------

def _client(args):
    from getpass import getpass

    from apps.ops.client import ApiClient

    password = None
    if args.user and not args.token and not os.environ.get("JOBCAST_TOKEN") and not os.environ.get("JOBCAST_PASSWORD"):
        password = getpass(f"password for {args.user}: ")
    return ApiClient(args.url, args.token, username=args.user, password=password)


def _parse_params(args) -> dict:
    params = json.loads(args.params) if args.params else {}
    if not isinstance(params, dict):
        raise ValueError("--params must be a JSON object")
    for item in args.param:
        key, sep, raw = item.partition("=")
        if not sep or not key:
            raise ValueError(f"--param {item!r}: expected KEY=VALUE")
        try:
            params[key] = json.loads(raw)
        except ValueError:
            params[key] = raw
    return params


def _api_command(run) -> int:
    from rich.console import Console

    from apps.ops.client import ApiError
    from apps.ops.terminal import EXIT_ERROR

    console = Console(stderr=False)
    try:
        return run(console)
    except ApiError as exc:
        console.print(f"[red]{exc}[/]", highlight=False)
        return EXIT_ERROR


def _cmd_submit(args) -> int:
    try:
        params = _parse_params(args)
    except ValueError as exc:
        print(f"jobcast submit: {exc}", file=sys.stderr)
        return EXIT_USAGE

    def run(console) -> int:
        from apps.ops.terminal import follow_job

        client = _client(args)
        job = client.submit(args.kind, params, args.priority)
        from project.terminal_language import terminal_translation

        _ = terminal_translation("project").gettext
        console.print(_("job %(id)s (%(kind)s) %(status)s on queue %(queue)s") % {
            "id": job["id"], "kind": job["kind"], "status": job["status"], "queue": job["queue"]}, highlight=False)
        if not args.follow:
            return 0
        return follow_job(client, job["id"], console, quiet=args.quiet)

    return _api_command(run)


def _cmd_tail(args) -> int:
    def run(console) -> int:
        from apps.ops.terminal import follow_job

        return follow_job(_client(args), args.job_id, console, quiet=args.quiet)

    return _api_command(run)


def _cmd_monitor(args) -> int:
    def run(console) -> int:
        from apps.ops.terminal import monitor

        return monitor(_client(args), console, linger_s=args.linger, duration=args.duration)

    return _api_command(run)
