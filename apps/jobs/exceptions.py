"""Exceptions a job body may raise (or meet) to steer the core."""
from __future__ import annotations


class JobCancelled(Exception):
    """The job was cancelled (status `revoked`); raised from `ctx.progress()`/`check_cancelled()`."""


class JobRetry(Exception):
    """Ask for another attempt after `countdown` seconds (default: the kind's backoff)."""

    def __init__(self, message: str = "", countdown: float | None = None) -> None:
        super().__init__(message)
        self.countdown = countdown


class JobDeferred(Exception):
    """The body handed the work to something outside (a provider); the job stays `started`.

    Whoever finishes it later calls `services.job_succeed` / `services.job_fail`. The reaper
    leaves it alone (no heartbeat is expected while it waits).
    """

