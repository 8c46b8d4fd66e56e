"""What `submit`, `tail` and `monitor` share: server and credential options, the client, API errors as exit 3."""
from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable
from getpass import getpass

from rich.console import Console

from apps.ops.client import ApiClient, ApiError
from apps.ops.terminal import EXIT_ERROR
from project.terminal_language import terminal_translation


def add_api_options(parser: argparse.ArgumentParser) -> None:
    _ = terminal_translation("apps/ops").gettext  # the terminal's language (issue 17)
    parser.add_argument("--url", help=_("server (default: JOBCAST_URL or http://127.0.0.1:8000)"))
    parser.add_argument("--token", help=_("API token (default: JOBCAST_TOKEN)"))
    parser.add_argument("--user", help=_("log in as this user (password from JOBCAST_PASSWORD or a prompt)"))


def client_for(args: argparse.Namespace) -> ApiClient:
    """A client of the server the options name; asks for the password only when nothing else gives one."""
    password = None
    if args.user and not args.token and not os.environ.get("JOBCAST_TOKEN") and not os.environ.get("JOBCAST_PASSWORD"):
        password = getpass(f"password for {args.user}: ")
    return ApiClient(args.url, args.token, username=args.user, password=password)


def run_api_command(run: Callable[[Console], int]) -> int:
    """Run `run(console)`; a refused request prints its reason and exits EXIT_ERROR (3)."""
    console = Console(stderr=False)
    try:
        return run(console)
    except ApiError as exc:
        console.print(f"[red]{exc}[/]", highlight=False)
        return EXIT_ERROR


def parse_params(args: argparse.Namespace) -> dict:
    """`--params` (a JSON object) plus every `-p KEY=VALUE`, whose VALUE is JSON when it parses, else a string."""
    params = json.loads(args.params) if args.params else {}
    if not isinstance(params, dict):
        raise ValueError("--params must be a JSON object")
    for item in args.param:
        key, sep, raw = item.partition("=")
        if not sep or not key:
            raise ValueError(f"--param {item!r}: expected KEY=VALUE")
        try:
            params[key] = json.loads(raw)
        except ValueError:
            params[key] = raw
    return params
