"""`jobcast status`: workers, queues, jobs and kinds, read from the broker and the database."""
from __future__ import annotations

import argparse
import json

import django
from rich.console import Console

from apps.ops.terminal import print_status
from project.terminal_language import terminal_translation


def add_parser(sub) -> None:
    _ = terminal_translation("apps/ops").gettext  # the terminal's language (issue 17)
    status = sub.add_parser("status", help=_("workers and their queues, tasks, queue lengths, kinds, "
                                           "Redis and database reachability"))
    status.add_argument("--json", action="store_true", help=_("machine-readable output"))
    status.add_argument("--timeout", type=float, default=1.0, help=_("seconds to wait for worker replies"))
    status.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    django.setup()
    # Not at the top: it imports models, which need the app registry django.setup() just filled
    # (and `jobcast stop` must keep working when settings are broken, so the CLI sets up per command).
    from apps.ops.control import status_report

    report = status_report(timeout=args.timeout)
    if args.json:
        print(json.dumps(report, indent=2, default=str))
    else:
        print_status(report, Console())
    return 0 if all(v == "ok" for v in report["health"].values()) else 1
