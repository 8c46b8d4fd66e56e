"""The registry of job kinds. Domain apps register theirs from `AppConfig.ready()`.

The core never imports a domain app: it only knows the `JobKind`s registered here.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from rest_framework import serializers

from apps.jobs.limits import Setting, resolve

# A job body: `run(ctx, params) -> result` (JSON-serialisable), sync or `async def`.
JobBody = Callable[..., Any]


@dataclass(frozen=True)
class PipelineStep:
    """One link of a chained pipeline: its own Celery task, retries and output."""

    name: str
    run: JobBody
    max_retries: int | Setting = 0

    @property
    def retries(self) -> int:
        return resolve(self.max_retries)


@dataclass(frozen=True)
class JobKind:
    """Everything the core needs to validate, queue, run, limit and retry one kind of job.

    Give either `run` (one task) or `pipeline` (steps chained as separate Celery tasks; a
    manual retry resumes from the failed step). `retry_on` names the exceptions that are
    retried automatically with exponential backoff (`retry_backoff` * 2**n, capped). A limit
    given as `Setting("NAME")` is read from the settings each time it is used.
    """

    name: str
    title: str
    params: type[serializers.Serializer]
    run: JobBody | None = None
    pipeline: tuple[PipelineStep, ...] = ()
    description: str = ""
    queue: str = "jobs"
    soft_time_limit: int | Setting | None = None
    time_limit: int | Setting | None = None
    max_retries: int | Setting = 0
    retry_on: tuple[type[BaseException], ...] = ()
    retry_backoff: float | Setting = 2.0
    retry_backoff_max: float = 600.0
    extra: dict[str, Any] = field(default_factory=dict)
    # What the form's "Example" button fills in: params that run as they are, or a function of
    # the user giving them (None: no example). `{"params": …}`, plus optionally
    # `{"create": {"url", "body", "param"}}`: POST `body` to `url` first and put the new
    # object's `id` into `param` (a web test needs a script before it can run).
    example: dict[str, Any] | Callable[[Any], dict[str, Any] | None] | None = None
    # False for kinds whose jobs are created by code, never by a request (not in /api/kinds/).
    submittable: bool = True
    # Each job names its own Celery queue (Job.queue, set at creation) instead of `queue`.
    per_job_queue: bool = False

    @property
    def soft_limit(self) -> int | None:
        return resolve(self.soft_time_limit) or settings.JOBS_DEFAULT_SOFT_TIME_LIMIT_S

    @property
    def hard_limit(self) -> int | None:
        return resolve(self.time_limit) or settings.JOBS_DEFAULT_TIME_LIMIT_S

    @property
    def retries(self) -> int:
        return resolve(self.max_retries)

    def example_for(self, user) -> dict[str, Any] | None:
        return self.example(user) if callable(self.example) else self.example

    def retry_delay(self, retries_done: int) -> float:
        """Exponential backoff: backoff, 2*backoff, 4*backoff … capped at retry_backoff_max."""
        return min(resolve(self.retry_backoff) * (2 ** retries_done), self.retry_backoff_max)


class UnknownKind(KeyError):
    """No kind of that name is registered."""


_KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> JobKind:
    """Add a kind; refuse inconsistent limits and queue names a `-Q` list cannot hold."""
    if (kind.run is None) == (not kind.pipeline):
        raise ImproperlyConfigured(f"{kind.name}: give exactly one of run= or pipeline=")
    # Workers consume every kind's queue (settings.JOBS_QUEUES is derived from this registry);
    # `-Q` lists are comma-separated, so a name must be one word.
    if not kind.queue or any(c in kind.queue for c in ", \t\n"):
        raise ImproperlyConfigured(f"{kind.name}: queue {kind.queue!r} must be one word (no commas or spaces)")
    soft, hard = kind.soft_limit, kind.hard_limit
    if soft and hard and soft >= hard:
        raise ImproperlyConfigured(f"{kind.name}: soft time limit must be below the hard one")
    if hard and hard >= settings.CELERY_VISIBILITY_TIMEOUT:
        raise ImproperlyConfigured(
            f"{kind.name}: hard time limit {hard}s must be below CELERY_VISIBILITY_TIMEOUT "
            f"({settings.CELERY_VISIBILITY_TIMEOUT}s) or the job would be delivered twice"
        )
    existing = _KINDS.get(kind.name)
    if existing is not None and existing is not kind:
        raise ImproperlyConfigured(f"job kind {kind.name!r} is registered twice")
    _KINDS[kind.name] = kind
    return kind


def get(name: str) -> JobKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise UnknownKind(name) from None


def all_kinds() -> list[JobKind]:
    return sorted(_KINDS.values(), key=lambda k: k.name)


def submittable_kinds() -> list[JobKind]:
    """The kinds a user may submit (what /api/kinds/ lists and the dashboard offers)."""
    return [kind for kind in all_kinds() if kind.submittable]
