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

# A job body: `run(ctx, params) -> result` (JSON-serialisable), sync or `async def`.
JobBody = Callable[..., Any]


@dataclass(frozen=True)
class PipelineStep:
    """One link of a chained pipeline: its own Celery task, retries and output."""

    name: str
    run: JobBody
    max_retries: int = 0


@dataclass(frozen=True)
class JobKind:
    """Everything the core needs to validate, queue, run, limit and retry one kind of job.

    Give either `run` (one task) or `pipeline` (steps chained as separate Celery tasks; a
    manual retry resumes from the failed step). `retry_on` names the exceptions that are
    retried automatically with exponential backoff (`retry_backoff` * 2**n, capped).
    """

    name: str
    title: str
    params: type[serializers.Serializer]
    run: JobBody | None = None
    pipeline: tuple[PipelineStep, ...] = ()
    description: str = ""
    queue: str = "jobs"
    soft_time_limit: int | None = None
    time_limit: int | None = None
    max_retries: int = 0
    retry_on: tuple[type[BaseException], ...] = ()
    retry_backoff: float = 2.0
    retry_backoff_max: float = 600.0
    extra: dict[str, Any] = field(default_factory=dict)
    # Created by code only (e.g. Django tasks): not in /api/kinds/, refused by POST /api/jobs/.
    internal: bool = False
    # Each job names its own Celery queue (Job.queue, set at creation) instead of `queue`.
    per_job_queue: bool = False

    @property
    def soft_limit(self) -> int | None:
        return self.soft_time_limit or settings.JOBS_DEFAULT_SOFT_TIME_LIMIT_S

    @property
    def hard_limit(self) -> int | None:
        return self.time_limit or settings.JOBS_DEFAULT_TIME_LIMIT_S

    def retry_delay(self, retries_done: int) -> float:
        """Exponential backoff: backoff, 2*backoff, 4*backoff … capped at retry_backoff_max."""
        return min(self.retry_backoff * (2 ** retries_done), self.retry_backoff_max)


class UnknownKind(KeyError):
    """No kind of that name is registered."""


_KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> JobKind:
    """Add a kind; refuse inconsistent limits and queues nobody consumes."""
    if (kind.run is None) == (not kind.pipeline):
        raise ImproperlyConfigured(f"{kind.name}: give exactly one of run= or pipeline=")
    if kind.queue not in settings.JOBS_QUEUES:
        raise ImproperlyConfigured(f"{kind.name}: queue {kind.queue!r} is not in JOBS_QUEUES")
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


def all_kinds(*, include_internal: bool = False) -> list[JobKind]:
    """The kinds clients may submit (and, with include_internal, those only code creates)."""
    return sorted((k for k in _KINDS.values() if include_internal or not k.internal), key=lambda k: k.name)
