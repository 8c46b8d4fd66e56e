"""Celery: broker, results, routing, the queue list (derived from the registered kinds) and beat."""
from __future__ import annotations

from collections.abc import Iterator, Sequence

from celery.schedules import crontab

from project.environment import env
from project.settings.base import REDIS_URL, TIME_ZONE
from project.settings.jobs import JOBS_REAPER_INTERVAL_S
from project.settings.media import MEDIA_PROVIDER_SCAN_INTERVAL_S

CELERY_ENABLED = env.bool("CELERY_ENABLED", True)

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", REDIS_URL)
# Redis brokers use Celery's Redis transport with a fix for broker loss during a job (project/broker.py).
if CELERY_BROKER_URL.startswith("redis://"):
    CELERY_BROKER_TRANSPORT = "project.broker:Transport"
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", "django-db")
CELERY_RESULT_EXTENDED = True
CELERY_CACHE_BACKEND = "django-cache"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TRACK_STARTED = True
CELERY_WORKER_SEND_TASK_EVENTS = True
# No "task-sent" event per submission: it doubled the Redis writes of POST /api/jobs/ and
# Flower shows received/started/succeeded without it (the job's own events say more).
CELERY_TASK_SEND_SENT_EVENT = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", 50) or None
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# A message whose worker died unacknowledged is redelivered after this many seconds. It must
# exceed every kind's hard time limit, or a slow job would run twice (checked at registration).
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", 3 * 3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # Job priority 0-9, higher first: Redis emulates priorities with one list per step.
    "priority_steps": list(range(10)),
    "sep": ":",
    "queue_order_strategy": "priority",
    "socket_timeout": 10,
    "socket_connect_timeout": 5,
    "retry_on_timeout": True,
}
# RabbitMQ (CELERY_BROKER_URL=amqp://…): real priorities, so queues are declared with
# x-max-priority (classic queues; docs/operations.md). An unacknowledged message is redelivered
# as soon as its channel closes, and the Redis-only options above are ignored by this transport.
_amqp = CELERY_BROKER_URL.startswith(("amqp://", "amqps://", "pyamqp://"))
if _amqp:
    CELERY_TASK_QUEUE_MAX_PRIORITY = 9
    CELERY_TASK_DEFAULT_PRIORITY = 0
    CELERY_BROKER_TRANSPORT_OPTIONS = {"confirm_publish": True}

# Tasks that are not job kinds, and their queues (a kind names its own queue).
CELERY_TASK_DEFAULT_QUEUE = "jobs"
CELERY_TASK_ROUTES = {
    "jobs.reap_stuck_jobs": {"queue": "maintenance"},
    "jobs.purge_old_events": {"queue": "maintenance"},
    "testing.cleanup_old_results": {"queue": "maintenance"},
    "media.scan_provider_tasks": {"queue": "media"},
    "media.send_job_email": {"queue": "email"},
}

# Every periodic task, declared here only. django-celery-beat's DatabaseScheduler writes these
# entries into its tables when beat starts (an operator may disable one in the admin; its
# schedule is reset from here at the next start).
CELERY_BEAT_SCHEDULE = {
    "jobs.reap_stuck_jobs": {"task": "jobs.reap_stuck_jobs", "schedule": JOBS_REAPER_INTERVAL_S},
    "jobs.purge_old_events": {"task": "jobs.purge_old_events", "schedule": 3600.0},
    "media.scan_provider_tasks": {
        "task": "media.scan_provider_tasks",
        "schedule": float(max(1, round(MEDIA_PROVIDER_SCAN_INTERVAL_S))),
        "options": {"queue": "media"},
        "description": "Poll external generation providers and finish the jobs waiting on them.",
    },
    "testing.cleanup_old_results": {
        "task": "testing.cleanup_old_results",
        "schedule": crontab(minute="0", hour="2"),
        "options": {"queue": "maintenance"},
        "description": "Delete web-test and load-test runs older than TESTING_RESULT_RETENTION_DAYS.",
    },
}


class RegisteredQueues(Sequence[str]):
    """Every queue in use, read from the kind registry when asked (so after apps are ready).

    Celery declares these (project/celery.py), and a worker started without -Q consumes them all.
    """

    def _names(self) -> list[str]:
        from apps.jobs.queues import queue_names

        return queue_names()

    def __getitem__(self, index):  # type: ignore[override]
        return self._names()[index]

    def __len__(self) -> int:
        return len(self._names())

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __repr__(self) -> str:
        return f"RegisteredQueues({self._names()!r})"


JOBS_QUEUES = RegisteredQueues()
