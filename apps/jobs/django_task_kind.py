"""The job kind behind `JobcastBackend`: runs one Django task with a JobContext, records its errors.

One kind per TASKS alias that uses the backend (`django.task` for "default"), registered from
`JobsConfig.ready()` with the alias's OPTIONS: `max_attempts` (1), `retry_backoff` (2.0 s,
doubling), `retry_backoff_max` (600 s), `soft_time_limit`, `time_limit`. The kind is not
submittable: only `enqueue()` creates its jobs; it is not in `/api/kinds/`, and `POST /api/jobs/`
refuses its params whatever they are, so no HTTP client can name a module path to run.
"""
from __future__ import annotations

import logging
import traceback
from inspect import iscoroutinefunction
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext, gettext_lazy
from rest_framework import serializers

from apps.jobs import registry
from apps.jobs.context import JobContext
from apps.jobs.exceptions import JobCancelled
from apps.jobs.params import StrictParams
from apps.jobs.signals import job_finished
from apps.jobs.tasks_backend import (
    TASK_ERROR_KEY,
    TRACEBACK_MAX_CHARS,
    JobcastBackend,
    owned_by_user_id,
)
from apps.jobs.tasks_compat import normalize_json, task_backends, task_finished, task_started

logger = logging.getLogger(__name__)


class DjangoTaskParams(StrictParams):
    """What `enqueue()` stored (shown on the job); never accepted from a client."""

    task = serializers.CharField(help_text=gettext_lazy("The task function's module path."))
    args = serializers.ListField(required=False, default=list)
    kwargs = serializers.DictField(required=False, default=dict)

    def validate(self, attrs):
        raise serializers.ValidationError(
            {"task": gettext("Django task jobs are created by enqueue() in code; they cannot be submitted")})


def run_django_task(ctx: JobContext, params: dict[str, Any]):
    """Call the task function (a coroutine for `async def`), with Django's context if it takes one."""
    backend: JobcastBackend = task_backends[params["backend"]]
    task = backend.task_from_params(params)
    result = backend.get_result(str(ctx.job_id))
    task_started.send(type(backend), task_result=result)
    args = list(params.get("args", []))
    if task.takes_context:
        args.insert(0, backend.context_class(task_result=result, job=ctx))
    kwargs = dict(params.get("kwargs", {}))
    if iscoroutinefunction(task.func):
        return _run_async(ctx, task.func, args, kwargs)
    with owned_by_user_id(ctx.owner_id):  # tasks it enqueues belong to the same user
        try:
            return normalize_json(task.func(*args, **kwargs))
        except JobCancelled:
            raise
        except Exception as exc:
            _record_error(ctx, exc)
            raise


async def _run_async(ctx: JobContext, func, args: list, kwargs: dict):
    with owned_by_user_id(ctx.owner_id):
        try:
            return normalize_json(await func(*args, **kwargs))
        except JobCancelled:
            raise
        except Exception as exc:
            _record_error(ctx, exc)
            raise


def _record_error(ctx: JobContext, exc: BaseException) -> None:
    """Keep this attempt's exception class path and traceback in the log (TaskResult.errors)."""
    error = {"exception_class_path": f"{type(exc).__module__}.{type(exc).__qualname__}",
             "traceback": "".join(traceback.format_exception(exc))[-TRACEBACK_MAX_CHARS:]}
    try:
        ctx.log(f"attempt {ctx.attempt} raised {type(exc).__name__}: {exc}", **{TASK_ERROR_KEY: error})
    except JobCancelled:
        pass  # cancelled meanwhile: the core records nothing more for this attempt either


# kind name -> TASKS alias, for the kinds registered here.
_ALIASES: dict[str, str] = {}


def _on_job_finished(sender, *, job_id, kind: str, **kwargs: Any) -> None:
    """Django's `task_finished`, sent where the job reached its end (worker, or web for a cancel)."""
    alias = _ALIASES.get(kind)
    if alias is None:
        return
    backend = task_backends[alias]
    # Runs in the core's on_commit hook: a receiver's error must not look like the job's own.
    try:
        task_finished.send(type(backend), task_result=backend.get_result(str(job_id)))
    except Exception:
        logger.exception("task_finished for job %s failed", job_id)


def _jobcast_aliases() -> list[str]:
    aliases = []
    for alias, conf in getattr(settings, "TASKS", {}).items():
        backend_class = import_string(conf["BACKEND"])
        if isinstance(backend_class, type) and issubclass(backend_class, JobcastBackend):
            aliases.append(alias)
    return aliases


def register_task_kinds() -> None:
    """Register the kind of every TASKS alias that uses JobcastBackend (from JobsConfig.ready)."""
    for alias in _jobcast_aliases():
        options = settings.TASKS[alias].get("OPTIONS", {})
        backend = task_backends[alias]
        registry.register(registry.JobKind(
            name=backend.kind,
            title="Django task",
            description=f"A task of Django's Tasks framework, enqueued on the {alias!r} backend.",
            params=DjangoTaskParams,
            run=run_django_task,
            queue=backend.celery_queue("default"),
            per_job_queue=True,
            submittable=False,
            max_retries=max(0, int(options.get("max_attempts", 1)) - 1),
            retry_on=(Exception,),
            retry_backoff=float(options.get("retry_backoff", 2.0)),
            retry_backoff_max=float(options.get("retry_backoff_max", 600.0)),
            soft_time_limit=options.get("soft_time_limit"),
            time_limit=options.get("time_limit"),
        ))
        _ALIASES[backend.kind] = alias
    job_finished.connect(_on_job_finished, dispatch_uid="jobs.django_task_finished")
