"""`jobcast run`: the whole development stack in the foreground (apps.ops.devstack, supervised by honcho)."""
from __future__ import annotations

import argparse

from apps.ops import devstack
from project.terminal_language import terminal_translation


def add_parser(sub) -> None:
    _ = terminal_translation("apps/ops").gettext  # the terminal's language (issue 17)
    run = sub.add_parser("run", help=_("the whole development stack: Redis if needed, migrations, demo user, "
                                     "web, worker and beat (logs in logs/, pidfile in run/)"))
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8000)
    run.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    return devstack.run(args.host, args.port)
