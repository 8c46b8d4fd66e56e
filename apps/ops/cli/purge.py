"""`jobcast purge`: delete waiting messages from queues, after asking (their pending jobs are cancelled)."""
from __future__ import annotations

import argparse

import django
from rich.console import Console
from rich.prompt import Confirm

EXIT_USAGE = 2


def add_parser(sub) -> None:
    purge = sub.add_parser("purge", help="delete waiting messages from queues (asks first)")
    purge.add_argument("--queue", "-Q", action="append", help="queue to purge (repeat or comma-separate; "
                                                             "default: every queue)")
    purge.add_argument("--yes", "-y", action="store_true", help="do not ask")
    purge.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    django.setup()
    # Not at the top: these import models, which need the app registry django.setup() just filled.
    from apps.ops.control import UnknownQueue, known_queues, queue_purge
    from apps.ops.exposition import queue_lengths

    console = Console()
    queues = [q.strip() for item in (args.queue or []) for q in item.split(",") if q.strip()] or known_queues()
    unknown = sorted(set(queues) - set(known_queues()))
    if unknown:
        console.print(f"[red]unknown queue(s): {', '.join(unknown)}[/]; known: {', '.join(known_queues())}")
        return EXIT_USAGE
    lengths = queue_lengths(queues)
    waiting = sum(lengths.values())
    if not waiting:
        console.print(f"nothing to purge: {', '.join(queues)} {'is' if len(queues) == 1 else 'are'} empty")
        return 0
    for queue, length in lengths.items():
        if length:
            console.print(f"  {queue:<16} {length} waiting")
    if not args.yes and not Confirm.ask(f"Delete {waiting} waiting message(s)? Their jobs will be cancelled",
                                        console=console, default=False):
        console.print("nothing deleted")
        return 1
    try:
        outcome = queue_purge(queues)
    except UnknownQueue as exc:
        console.print(f"[red]{exc}[/]")
        return EXIT_USAGE
    total = sum(outcome["purged"].values())
    console.print(f"purged {total} message(s); {outcome['jobs_cancelled']} pending job(s) cancelled")
    return 0
