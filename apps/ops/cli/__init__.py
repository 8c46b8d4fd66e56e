"""The `jobcast` command line (also `python -m project`): one module per sub-command.

Process commands (`run`, `worker`, `beat`, `flower`, `stop`), operator views that read the broker
and database directly (`status`, `purge`), and API clients of a running server (`submit`, `tail`,
`monitor`: JOBCAST_URL and JOBCAST_TOKEN, or --url/--token/--user). Each module adds its
sub-parser and binds it to its function with `set_defaults(func=...)`.
"""
from __future__ import annotations

import argparse
import os

from apps.ops.cli import beat, flower, monitor, purge, run, status, stop, submit, tail, worker
from apps.ops.cli.localized import LocalizedParser
from project.terminal_language import terminal_translation

COMMANDS = (run, worker, beat, flower, status, stop, purge, monitor, submit, tail)


def build_parser() -> argparse.ArgumentParser:
    _ = terminal_translation("apps/ops").gettext  # the terminal's language (issue 17)
    parser = LocalizedParser(prog="jobcast", description=_("Run and operate Jobcast."))
    sub = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
