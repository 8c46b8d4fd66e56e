"""Prepare a test stack's database in one process: `python -m livestack.stack_setup [--collect-static]`.

Run by `LiveStack` with the stack's environment (its own database, project settings). Each
`manage.py` run costs seconds of imports and a suite starts a dozen stacks, so migrating,
collecting static files and creating the users happen here together. Prints the users' API
tokens as one JSON line, `TOKENS {...}`.
"""
from __future__ import annotations

import io
import json
import sys

USERS = (("alice", False), ("bob", False), ("root", True))  # name (password: <name>-password), staff


def main(argv: list[str]) -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    if "--collect-static" in argv:
        call_command("collectstatic", interactive=False, verbosity=0)
    tokens = {}
    for name, staff in USERS:
        out = io.StringIO()
        call_command("ensure_user", name, f"{name}-password", staff=staff, stdout=out)
        tokens[name] = out.getvalue().strip()
    print("TOKENS " + json.dumps(tokens))


if __name__ == "__main__":
    main(sys.argv[1:])
