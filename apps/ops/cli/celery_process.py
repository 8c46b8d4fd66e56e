"""Replace this process with a Celery command on the project's app (`jobcast worker`, `beat`, `flower`)."""
from __future__ import annotations

import os
import sys


def exec_celery(celery_args: list[str]) -> int:
    """The Celery program takes over this pid (so the pidfile it writes is this command's)."""
    os.execv(sys.executable, [sys.executable, "-m", "celery", "-A", "project", *celery_args])
    return 0  # not reached
