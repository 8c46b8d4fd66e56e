"""`jobcast monitor`: a live table of running jobs with progress bars, fed by the `/ws/jobs/` feed."""
from __future__ import annotations

import argparse

from rich.console import Console

from apps.ops.cli.api_access import add_api_options, client_for, run_api_command
from apps.ops.terminal import monitor
from project.terminal_language import terminal_translation


def add_parser(sub) -> None:
    _ = terminal_translation("apps/ops").gettext  # the terminal's language (issue 17)
    parser = sub.add_parser("monitor", help=_("live view of running jobs with progress bars (WebSocket feed)"))
    add_api_options(parser)
    parser.add_argument("--linger", type=float, default=10.0, help=_("seconds a finished job stays listed"))
    parser.add_argument("--duration", type=float, help=_("quit after this many seconds"))
    parser.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    def run(console: Console) -> int:
        return monitor(client_for(args), console, linger_s=args.linger, duration=args.duration)

    return run_api_command(run)
