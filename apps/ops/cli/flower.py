"""`jobcast flower`: Flower, Celery's web monitor, on the same broker."""
from __future__ import annotations

import argparse

from apps.ops.cli.celery_process import exec_celery
from project.terminal_language import terminal_translation


def add_parser(sub) -> None:
    _ = terminal_translation("apps/ops").gettext  # the terminal's language (issue 17)
    flower = sub.add_parser("flower", help=_("Flower, Celery's web monitor, on the same broker"))
    flower.add_argument("--port", type=int, default=5555)
    flower.add_argument("--address", default="127.0.0.1")
    flower.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    return exec_celery(["flower", f"--port={args.port}", f"--address={args.address}"])
