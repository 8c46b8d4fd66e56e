"""`jobcast stop`: warm shutdown of what this checkout started (by pidfile). No Django: works when settings break."""
from __future__ import annotations

import argparse

from rich.console import Console

from apps.ops.pidfiles import read_pidfiles, run_dir, stop_all
from project.terminal_language import terminal_translation


def add_parser(sub) -> None:
    _ = terminal_translation("apps/ops").gettext  # the terminal's language (issue 17)
    stop = sub.add_parser("stop", help=_("warm shutdown of the processes started here (by pidfile)"))
    stop.add_argument("--timeout", type=float, default=60.0, help=_("seconds to wait for running tasks"))
    stop.add_argument("--cold", action="store_true", help=_("do not wait for running tasks (they are redelivered)"))
    stop.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    console = Console()
    _ = terminal_translation("apps/ops").gettext  # the terminal's language (issue 17)
    outcome_labels = {"stopped": _("stopped"), "still running": _("still running"),
                      "stale pidfile removed": _("stale pidfile removed")}
    if not read_pidfiles():
        console.print(_("nothing to stop: no pidfiles in %(folder)s") % {"folder": run_dir()})
        return 0
    if not args.cold:
        console.print(_("warm shutdown: running tasks may finish (up to %(seconds)ss) …") % {"seconds": f"{args.timeout:g}"})
    outcomes = stop_all(timeout=args.timeout, cold=args.cold)
    for o in outcomes:
        colour = {"stopped": "green", "still running": "red"}.get(o.outcome, "yellow")
        label = outcome_labels.get(o.outcome, o.outcome)
        console.print(f"  {o.name:<30} pid {o.pid}  [{colour}]{label}[/]")
    return 1 if any(o.outcome == "still running" for o in outcomes) else 0
