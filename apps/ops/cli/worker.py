"""`jobcast worker`: a Celery worker with a pidfile `jobcast stop` finds."""
from __future__ import annotations

import argparse

from apps.ops.cli.celery_process import exec_celery
from apps.ops.pidfiles import run_dir, worker_pidfile
from project.terminal_language import terminal_translation


def add_parser(sub) -> None:
    _ = terminal_translation("apps/ops").gettext  # the terminal's language (issue 17)
    worker = sub.add_parser("worker", help=_("a Celery worker (pidfile run/worker-<name>.pid)"))
    worker.add_argument("--queues", "-Q", help=_("comma-separated queues (default: all)"))
    worker.add_argument("--concurrency", "-c", type=int)
    worker.add_argument("--pool", choices=["prefork", "solo", "threads"], default="prefork",
                        help=_("solo on Windows"))
    worker.add_argument("--name", "-n", help=_("node name (default: the queues, or 'all'), '@%%h' is added"))
    worker.add_argument("--loglevel", "-l", default="info")
    worker.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    name = args.name or (args.queues.replace(",", "+") if args.queues else "all")
    run_dir().mkdir(parents=True, exist_ok=True)
    celery_args = ["worker", "-l", args.loglevel, "--pool", args.pool, "-n", f"{name.split('@')[0]}@%h",
                   "--pidfile", str(worker_pidfile(name))]
    if args.queues:
        celery_args += ["-Q", args.queues]
    if args.concurrency:
        celery_args += ["-c", str(args.concurrency)]
    return exec_celery(celery_args)
