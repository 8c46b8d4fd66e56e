"""The jobs core (apps.jobs): request limits, progress, heartbeats, the reaper, inline mode."""
from __future__ import annotations

from project.environment import env

# Request bodies: one limit for every endpoint, answered with a JSON 413 (docs/api.md).
JOBS_MAX_BODY_BYTES = env.int("JOBS_MAX_BODY_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = JOBS_MAX_BODY_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = JOBS_MAX_BODY_BYTES

# Threads per web process running sync views (project/asgi_handler.py).
# Each thread keeps its own database connection (CONN_MAX_AGE): web processes × threads + workers must
# stay under the database's max_connections (PostgreSQL: 100). 16 per daphne ran PostgreSQL out of
# connections in the reconnect-storm chaos test (2 daphnes, a prefork worker and its heartbeats).
JOBS_HTTP_THREADS = env.int("JOBS_HTTP_THREADS", 4)

JOBS_PROGRESS_MIN_INTERVAL_MS = env.int("JOBS_PROGRESS_MIN_INTERVAL_MS", 100)
JOBS_HEARTBEAT_INTERVAL_S = env.float("JOBS_HEARTBEAT_INTERVAL_S", 5.0)
# A started job whose heartbeat is older than this is failed by the reaper (worker died).
JOBS_HEARTBEAT_TIMEOUT_S = env.float("JOBS_HEARTBEAT_TIMEOUT_S", 120.0)
# Workers announce their queues this often; a pending job on a queue none announced is flagged.
JOBS_WORKER_ANNOUNCE_S = env.float("JOBS_WORKER_ANNOUNCE_S", 5.0)
JOBS_REAPER_INTERVAL_S = env.float("JOBS_REAPER_INTERVAL_S", 30.0)
JOBS_EVENT_RETENTION_DAYS = env.int("JOBS_EVENT_RETENTION_DAYS", 30)
JOBS_INLINE_THREADS = env.int("JOBS_INLINE_THREADS", 4)
JOBS_DEFAULT_SOFT_TIME_LIMIT_S = env.int("JOBS_DEFAULT_SOFT_TIME_LIMIT_S", 300)
JOBS_DEFAULT_TIME_LIMIT_S = env.int("JOBS_DEFAULT_TIME_LIMIT_S", 360)

# Django's Tasks framework (django.tasks; django_tasks on Django 5.2) runs on Jobcast: every
# enqueued task is a job (docs/django-tasks.md). Without "QUEUES", a task may name any Celery
# queue of JOBS_QUEUES, and Django's "default" queue is CELERY_TASK_DEFAULT_QUEUE ("jobs").
TASKS = {
    "default": {
        "BACKEND": "apps.jobs.tasks_backend.JobcastBackend",
        "OPTIONS": {"max_attempts": 3, "retry_backoff": 1.0, "retry_backoff_max": 60.0},
    }
}
