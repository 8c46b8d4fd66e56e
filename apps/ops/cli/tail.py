"""`jobcast tail`: follow a job until it ends; the exit code says how (0 success, 1 failure, 2 cancelled)."""
from __future__ import annotations

import argparse

from rich.console import Console

from apps.ops.cli.api_access import add_api_options, client_for, run_api_command
from apps.ops.terminal import follow_job
from project.terminal_language import terminal_translation


def add_parser(sub) -> None:
    _ = terminal_translation("apps/ops").gettext  # the terminal's language (issue 17)
    tail = sub.add_parser("tail", help=_("follow a job until it ends; exit 0 on success, 1 on failure, 2 if cancelled"))
    add_api_options(tail)
    tail.add_argument("job_id")
    tail.add_argument("--quiet", "-q", action="store_true", help=_("no progress bar, only the outcome"))
    tail.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    def run(console: Console) -> int:
        return follow_job(client_for(args), args.job_id, console, quiet=args.quiet)

    return run_api_command(run)
