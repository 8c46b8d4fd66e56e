"""`jobcast submit`: submit a job through the API; with --follow, draw its progress until it ends."""
from __future__ import annotations

import argparse
import sys

from rich.console import Console

from apps.ops.cli.api_access import add_api_options, client_for, parse_params, run_api_command
from apps.ops.terminal import follow_job
from project.terminal_language import terminal_translation

EXIT_USAGE = 2


def add_parser(sub) -> None:
    _ = terminal_translation("apps/ops").gettext  # the terminal's language (issue 17)
    submit = sub.add_parser("submit", help=_("submit a job; with --follow, draw its progress until it ends"))
    add_api_options(submit)
    submit.add_argument("kind")
    submit.add_argument("--param", "-p", action="append", default=[], metavar="KEY=VALUE",
                        help=_("a parameter; VALUE is JSON when it parses (5, true, null, [1]), else a string"))
    submit.add_argument("--params", help=_("all parameters as one JSON object"))
    submit.add_argument("--priority", type=int, choices=range(10), metavar="0-9")
    submit.add_argument("--follow", "-f", action="store_true",
                        help=_("follow the job; exit 0 on success, 1 on failure, 2 if cancelled"))
    submit.add_argument("--quiet", "-q", action="store_true", help=_("no progress bar, only the outcome"))
    submit.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    try:
        params = parse_params(args)
    except ValueError as exc:
        print(f"jobcast submit: {exc}", file=sys.stderr)
        return EXIT_USAGE

    def run(console: Console) -> int:
        client = client_for(args)
        job = client.submit(args.kind, params, args.priority)
        _ = terminal_translation("apps/ops").gettext  # the terminal's language (issue 17)
        console.print(_("job %(id)s (%(kind)s) %(status)s on queue %(queue)s") % {
            "id": job["id"], "kind": job["kind"], "status": job["status"], "queue": job["queue"]}, highlight=False)
        if not args.follow:
            return 0
        return follow_job(client, job["id"], console, quiet=args.quiet)

    return run_api_command(run)
