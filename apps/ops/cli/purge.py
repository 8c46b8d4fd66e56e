"""`jobcast purge`: delete waiting messages from queues, after asking (their pending jobs are cancelled)."""
from __future__ import annotations

import argparse

import django
from rich.console import Console
from rich.prompt import Confirm

from project.terminal_language import terminal_translation

EXIT_USAGE = 2


def add_parser(sub) -> None:
    _ = terminal_translation("apps/ops").gettext  # the terminal's language (issue 17)
    purge = sub.add_parser("purge", help=_("delete waiting messages from queues (asks first)"))
    purge.add_argument("--queue", "-Q", action="append", help=_("queue to purge (repeat or comma-separate; "
                                                             "default: every queue)"))
    purge.add_argument("--yes", "-y", action="store_true", help=_("do not ask"))
    purge.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    django.setup()
    # Not at the top: these import models, which need the app registry django.setup() just filled.
    from apps.ops.control import UnknownQueue, known_queues, queue_purge
    from apps.ops.exposition import queue_lengths

    console = Console()
    translation = terminal_translation("apps/ops")  # the terminal's language (issue 17)
    _, ngettext = translation.gettext, translation.ngettext
    queues = [q.strip() for item in (args.queue or []) for q in item.split(",") if q.strip()] or known_queues()
    unknown = sorted(set(queues) - set(known_queues()))
    if unknown:
        console.print("[red]" + _("unknown queue(s): %(queues)s") % {"queues": ", ".join(unknown)} + "[/]; "
                      + _("known: %(queues)s") % {"queues": ", ".join(known_queues())})
        return EXIT_USAGE
    lengths = queue_lengths(queues)
    waiting = sum(lengths.values())
    if not waiting:
        console.print(ngettext("nothing to purge: %(queues)s is empty", "nothing to purge: %(queues)s are empty",
                               len(queues)) % {"queues": ", ".join(queues)})
        return 0
    for queue, length in lengths.items():
        if length:
            console.print(f"  {queue:<16} " + _("%(count)d waiting") % {"count": length})
    question = ngettext("Delete %(count)d waiting message? Its job will be cancelled",
                        "Delete %(count)d waiting messages? Their jobs will be cancelled", waiting) % {"count": waiting}
    if not args.yes and not Confirm.ask(question, console=console, default=False):
        console.print(_("nothing deleted"))
        return 1
    try:
        outcome = queue_purge(queues)
    except UnknownQueue as exc:
        console.print(f"[red]{exc}[/]")
        return EXIT_USAGE
    total = sum(outcome["purged"].values())
    console.print(_("purged %(messages)d message(s); %(jobs)d pending job(s) cancelled")
                  % {"messages": total, "jobs": outcome["jobs_cancelled"]})
    return 0
