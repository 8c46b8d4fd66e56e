"""Jobcast as a backend of Django's Tasks framework: every enqueued task is a job.

    TASKS = {"default": {"BACKEND": "apps.jobs.tasks_backend.JobcastBackend", "QUEUES": [...],
                         "OPTIONS": {"max_attempts": 3, "retry_backoff": 2.0}}}

    from django.tasks import task        # Django 6 (django_tasks on Django 5.2)

    @task(takes_context=True)
    def import_rows(context, path):
        context.progress(40, "row 4 of 10")

`enqueue()` creates a job of the backend's kind (`django.task`, see `apps.jobs.django_task_kind`)
holding the task's module path and JSON arguments, sent on commit; the `TaskResult.id` is the
job's id, so the REST API, the WebSocket, the dashboard and the admin follow it like any job.
`get_result()` reads the job and its stored events back into a complete `TaskResult`.
"""
from __future__ import annotations

import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import checks
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.module_loading import import_string

from apps.jobs import services, states
from apps.jobs.context import JobContext
from apps.jobs.models import Event, Job
from apps.jobs.tasks_compat import (
    DEFAULT_TASK_QUEUE_NAME,
    TASK_MAX_PRIORITY,
    TASK_MIN_PRIORITY,
    BaseTaskBackend,
    InvalidTask,
    Task,
    TaskContext,
    TaskError,
    TaskResult,
    TaskResultDoesNotExist,
    TaskResultStatus,
    normalize_json,
    task_enqueued,
)

# The key of the per-attempt error a failing task leaves in its job's log (a `log` event).
TASK_ERROR_KEY = "task_error"
TRACEBACK_MAX_CHARS = 8000

_STATUS = {
    states.PENDING: TaskResultStatus.READY,
    states.STARTED: TaskResultStatus.RUNNING,
    states.RETRY: TaskResultStatus.RUNNING,
    states.SUCCESS: TaskResultStatus.SUCCESSFUL,
    states.FAILURE: TaskResultStatus.FAILED,
    states.REVOKED: TaskResultStatus.FAILED,
}

# --- ownership ---------------------------------------------------------------------------

_owner_id: ContextVar[int | None] = ContextVar("jobcast_task_owner_id", default=None)


@contextmanager
def owned_by(user) -> Iterator[None]:
    """Tasks enqueued inside belong to `user` (who then sees and follows them); None: to nobody.

    An anonymous user owns nothing: its tasks are ownerless, which only staff see.
    """
    pk = user.pk if user is not None and getattr(user, "is_authenticated", False) else None
    with owned_by_user_id(pk):
        yield


@contextmanager
def owned_by_user_id(pk: int | None) -> Iterator[None]:
    """`owned_by` for code that has only the user's id (a running task's owner)."""
    token = _owner_id.set(pk)
    try:
        yield
    finally:
        _owner_id.reset(token)


def current_owner_id() -> int | None:
    return _owner_id.get()


# --- the mapping of Django's task options onto a job -------------------------------------

def job_priority(task_priority: int) -> int:
    """Django's -100..100 onto Jobcast's 0..9, linearly, ends to ends (0 → 5, the job default)."""
    span = TASK_MAX_PRIORITY - TASK_MIN_PRIORITY
    return math.floor((task_priority - TASK_MIN_PRIORITY) * 9 / span + 0.5)


def kind_name(alias: str) -> str:
    """The job kind of a backend alias: `django.task` for "default", `django.task.<alias>` otherwise."""
    return "django.task" if alias == "default" else f"django.task.{alias}"


@dataclass(frozen=True, slots=True, kw_only=True)
class JobcastTaskContext(TaskContext):
    """Django's TaskContext (task_result, attempt) plus the job body's reporting API."""

    job: JobContext

    @property
    def job_id(self) -> UUID:
        return self.job.job_id

    def stage(self, name: str, progress: float | None = None, message: str = "", **data: Any) -> None:
        """Enter a named stage (see JobContext.stage)."""
        self.job.stage(name, progress, message, **data)

    def progress(self, value: float, total: float | str | None = None, message: str = "", **data: Any) -> None:
        """`progress(40, "row 4 of 10")` (a percentage and a message) or `progress(4, 10, "row 4")`.

        Raises JobCancelled once the job is revoked, like a kind's `ctx.progress`.
        """
        if isinstance(total, str):
            total, message = None, message or total
        self.job.progress(value, total, message, **data)

    def log(self, message: str, **data: Any) -> None:
        """Add a line to the job's timeline."""
        self.job.log(message, **data)

    def check_cancelled(self) -> None:
        """Raise JobCancelled if the job was revoked."""
        self.job.check_cancelled()


class JobcastBackend(BaseTaskBackend):
    """Runs Django tasks as Jobcast jobs on Celery, with live progress, replay, admin and dashboard."""

    supports_defer = True
    supports_async_task = True
    supports_get_result = True
    supports_priority = True

    context_class = JobcastTaskContext

    def __init__(self, alias: str, params: dict) -> None:
        super().__init__(alias, params)
        self.kind = kind_name(alias)
        # No QUEUES: any Celery queue the project has (JOBS_QUEUES, known once apps are ready).
        self.any_celery_queue = "QUEUES" not in params
        if self.any_celery_queue:
            self.queues = set()  # Django's own check is skipped; validate_task checks against JOBS_QUEUES

    # --- Django's backend API --------------------------------------------------------------

    def validate_task(self, task: Task) -> None:
        """Django's checks, plus: a worker must be able to import it, and wait no longer than a message lives."""
        super().validate_task(task)
        if self.any_celery_queue and apps.ready and self.celery_queue(task.queue_name) not in settings.JOBS_QUEUES:
            raise InvalidTask(f"Queue '{task.queue_name}' is not valid for backend: "
                              f"no Celery queue of that name (JOBS_QUEUES: {', '.join(settings.JOBS_QUEUES)}).")
        if task.func.__module__ == "__main__":
            raise InvalidTask("Task function must be importable by a worker (it is defined in __main__).")
        if task.run_after is not None:
            limit = timedelta(seconds=settings.CELERY_VISIBILITY_TIMEOUT)
            if task.run_after - timezone.now() > limit:
                raise InvalidTask(f"run_after must be less than {limit} ahead (CELERY_VISIBILITY_TIMEOUT): "
                                  "a broker message waiting longer would be delivered twice.")

    def enqueue(self, task: Task, args, kwargs) -> TaskResult:
        """Create the task's job (nothing is created if the task or its arguments are refused)."""
        self.validate_task(task)
        if _resolve(task.module_path) is not task.func:
            raise InvalidTask(f"{task.module_path!r} does not import as this task's function; "
                              "a worker could not run it.")
        params = {
            "task": task.module_path,
            "args": _json_round_trip(args),
            "kwargs": _json_round_trip(kwargs),
            "takes_context": task.takes_context,
            "priority": task.priority,
            "queue_name": task.queue_name,
            "run_after": task.run_after.isoformat() if task.run_after else None,
            "backend": self.alias,
        }
        owner_pk = current_owner_id()
        owner = get_user_model().objects.filter(pk=owner_pk).first() if owner_pk is not None else None
        # One transaction, so the job is sent (on commit) only after task_enqueued went out: a
        # fast worker's task_started can never come first.
        with transaction.atomic():
            job = services.job_create(owner=owner, kind=self.kind, params=params,
                                      priority=job_priority(task.priority),
                                      queue=self.celery_queue(task.queue_name), start_at=task.run_after)
            result = TaskResult(task=task, id=str(job.pk), status=TaskResultStatus.READY, enqueued_at=job.created_at,
                                started_at=None, last_attempted_at=None, finished_at=None, args=params["args"],
                                kwargs=params["kwargs"], backend=self.alias, errors=[], worker_ids=[])
            task_enqueued.send(type(self), task_result=result)
        return result

    def get_result(self, result_id: str) -> TaskResult:
        """The task's current TaskResult, read from its job (from any process)."""
        try:
            job_uuid = UUID(str(result_id))
        except ValueError:
            raise TaskResultDoesNotExist(result_id) from None
        job = Job.objects.filter(pk=job_uuid, kind=self.kind).first()
        if job is None:
            raise TaskResultDoesNotExist(result_id)
        return self.result_from_job(job)

    def check(self, **kwargs: Any):
        """Every queue a task may name must be a Celery queue some worker consumes."""
        for queue in sorted(self.queues):
            celery_queue = self.celery_queue(queue)
            if celery_queue not in settings.JOBS_QUEUES:
                yield checks.Error(
                    f"TASKS[{self.alias!r}] queue {queue!r} is Celery queue {celery_queue!r}, not in JOBS_QUEUES",
                    hint="Name a queue of settings.JOBS_QUEUES (those of kinds, routed and scheduled tasks).",
                    id="jobs.E101")

    # --- Jobcast's side --------------------------------------------------------------------

    def celery_queue(self, queue_name: str) -> str:
        """A Django queue name is a Celery queue; Django's "default" is the project's default queue."""
        if queue_name == DEFAULT_TASK_QUEUE_NAME:
            return self.options.get("default_celery_queue", settings.CELERY_TASK_DEFAULT_QUEUE)
        return queue_name

    def task_from_params(self, params: dict[str, Any]) -> Task:
        """The Task a job runs, rebuilt from its stored module path and options."""
        run_after = parse_datetime(params["run_after"]) if params.get("run_after") else None
        return self.task_class(func=_resolve(params["task"]), priority=params.get("priority", 0), backend=self.alias,
                               queue_name=params.get("queue_name", DEFAULT_TASK_QUEUE_NAME), run_after=run_after,
                               takes_context=params.get("takes_context", False))

    def result_from_job(self, job: Job) -> TaskResult:
        """The TaskResult of a job: status, times, attempts and errors from the job and its log."""
        params = job.params
        try:
            task = self.task_from_params(params)
        except InvalidTask as exc:
            raise TaskResultDoesNotExist(f"{job.pk}: {exc}") from exc
        started, errors = [], []
        for event in Event.objects.filter(job_id=job.pk, event__in=(states.STARTED, states.LOG)).order_by("seq"):
            if event.event == states.STARTED:
                started.append(event)
            elif isinstance(event.data.get(TASK_ERROR_KEY), dict):
                error = event.data[TASK_ERROR_KEY]
                errors.append(TaskError(exception_class_path=error["exception_class_path"],
                                        traceback=error["traceback"]))
        if job.status == states.FAILURE and job.error and len(errors) < len(started):
            # The last attempt ended outside the task's own code (time limit, lost worker).
            errors.append(TaskError(exception_class_path=str(job.error.get("type", "Exception")),
                                    traceback=str(job.error.get("traceback") or job.error.get("message", ""))))
        result = TaskResult(
            task=task,
            id=str(job.pk),
            status=_STATUS[job.status],
            enqueued_at=job.created_at,
            started_at=started[0].ts if started else None,
            last_attempted_at=started[-1].ts if started else None,
            finished_at=job.finished_at,
            args=params.get("args", []),
            kwargs=params.get("kwargs", {}),
            backend=self.alias,
            errors=errors,
            worker_ids=[str(event.data.get("worker", "")) for event in started],
        )
        if job.status == states.SUCCESS:
            object.__setattr__(result, "_return_value", job.result)
        return result


def _resolve(path: str):
    """The function at `path` (a decorated name imports as its Task; that Task's function)."""
    try:
        found = import_string(path)
    except ImportError as exc:
        raise InvalidTask(f"Task {path!r} is not importable: {exc}") from exc
    return found.func if isinstance(found, Task) else found


def _json_round_trip(value: Any) -> Any:
    """What a worker will receive: Django's JSON normalisation, then a real JSON round trip."""
    return json.loads(json.dumps(normalize_json(value), allow_nan=False))
