"""`jobcast beat`: the Celery beat scheduler (run exactly one), with a pidfile `jobcast stop` finds."""
from __future__ import annotations

import argparse

from apps.ops.cli.celery_process import exec_celery
from apps.ops.pidfiles import run_dir
from project.terminal_language import terminal_translation


def add_parser(sub) -> None:
    _ = terminal_translation("apps/ops").gettext  # the terminal's language (issue 17)
    beat = sub.add_parser("beat", help=_("the Celery beat scheduler (run exactly one; pidfile run/beat.pid)"))
    beat.add_argument("--loglevel", "-l", default="info")
    beat.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    run_dir().mkdir(parents=True, exist_ok=True)
    return exec_celery(["beat", "-l", args.loglevel, "--pidfile", str(run_dir() / "beat.pid"),
                        "-s", str(run_dir() / "celerybeat-schedule")])
