"""What `jobcast status` and `jobcast purge` do: ask the workers, the broker and the database.

Needs Django set up (the CLI does it). Read-only except `queue_purge`.
"""
from __future__ import annotations

import base64
import json
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import redis
from django.conf import settings
from django.db.models import Count

from apps.jobs import registry, services
from apps.jobs.health import health_report
from apps.jobs.models import Job
from apps.jobs.queues import broker_is_amqp
from apps.ops import amqp_queues
from apps.ops.exposition import queue_key_names, queue_lengths
from apps.ops.pidfiles import read_pidfiles
from project.celery import app

logger = logging.getLogger(__name__)


class UnknownQueue(ValueError):
    """A queue name that no job kind or Celery route uses (a typo would purge nothing)."""


def workers_report(timeout: float = 1.0) -> dict[str, dict[str, Any]]:
    """Live workers with their queues, active and reserved tasks, pool and uptime (Celery inspect)."""
    inspect = app.control.inspect(timeout=timeout)
    calls = {"ping": inspect.ping, "queues": inspect.active_queues, "active": inspect.active,
             "reserved": inspect.reserved, "stats": inspect.stats}
    with ThreadPoolExecutor(len(calls)) as pool:
        futures = {name: pool.submit(call) for name, call in calls.items()}
        replies = {name: (future.result() or {}) for name, future in futures.items()}
    workers: dict[str, dict[str, Any]] = {}
    for name in sorted(set().union(*[set(r) for r in replies.values()])):
        stats = replies["stats"].get(name) or {}
        pool = stats.get("pool") or {}
        workers[name] = {
            "queues": sorted(q["name"] for q in replies["queues"].get(name) or []),
            "active": [_task_summary(t) for t in replies["active"].get(name) or []],
            "reserved": [_task_summary(t) for t in replies["reserved"].get(name) or []],
            "pid": stats.get("pid"),
            "pool": (pool.get("implementation") or "").split(":", 1)[0].rsplit(".", 1)[-1],
            "concurrency": pool.get("max-concurrency"),
            "uptime_s": stats.get("uptime"),
            "processed": sum((stats.get("total") or {}).values()),
        }
    return workers


def _task_summary(task: dict[str, Any]) -> dict[str, Any]:
    args = task.get("args") or []
    job_id = args[0] if task.get("name") == "jobs.run" and args else None
    return {"id": task.get("id"), "name": task.get("name"), "job_id": job_id,
            "started": task.get("time_start")}


def status_report(timeout: float = 1.0) -> dict[str, Any]:
    """Everything `jobcast status` shows, as plain data (also its `--json` output)."""
    health = health_report()
    report: dict[str, Any] = {"health": health, "workers": {}, "queues": {}, "jobs": {},
                              "kinds": [{"kind": k.name, "queue": k.queue} for k in registry.all_kinds()],
                              "pidfiles": [{"name": p.name, "pid": p.pid, "alive": p.alive} for p in read_pidfiles()]}
    if health.get("broker") == "ok" and settings.CELERY_ENABLED:
        report["workers"] = workers_report(timeout)
        report["queues"] = queue_lengths()
    if health.get("database") == "ok":
        rows = Job.objects.values("status").annotate(n=Count("id")).order_by()
        report["jobs"] = {row["status"]: row["n"] for row in rows}
    return report


def known_queues() -> list[str]:
    routed = [route["queue"] for route in settings.CELERY_TASK_ROUTES.values() if "queue" in route]
    return sorted(set(settings.JOBS_QUEUES) | set(routed))


def queue_purge(queues: list[str]) -> dict[str, Any]:
    """Delete every waiting message of `queues` (all priority lists, atomically per queue).

    A purged `jobs.run` message would leave its job `pending` for ever, so those jobs are
    cancelled (`revoked`, with the reason) and the database keeps telling the truth.
    Messages a worker already reserved are not in the queue and are not touched.
    """
    unknown = sorted(set(queues) - set(known_queues()))
    if unknown:
        raise UnknownQueue(f"unknown queue(s) {', '.join(unknown)}; known: {', '.join(known_queues())}")
    purged: dict[str, int] = {}
    job_tasks: dict[str, str] = {}
    if broker_is_amqp():
        for queue in queues:
            taken = amqp_queues.drain(queue)
            purged[queue] = len(taken)
            job_tasks.update({job_id: task_id for job_id, task_id in taken if job_id})
        return {"purged": purged, "jobs_cancelled": _cancel_purged(job_tasks)}
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=5, socket_connect_timeout=5)
    try:
        for queue in queues:
            keys = queue_key_names(queue)
            pipe = client.pipeline(transaction=True)
            for key in keys:
                pipe.lrange(key, 0, -1)
            pipe.delete(*keys)
            results = pipe.execute()
            messages = [m for chunk in results[:len(keys)] for m in chunk]
            purged[queue] = len(messages)
            for raw in messages:
                job_id, task_id = _job_of_message(raw)
                if job_id:
                    job_tasks[job_id] = task_id
    finally:
        client.close()
    return {"purged": purged, "jobs_cancelled": _cancel_purged(job_tasks)}


def _cancel_purged(job_tasks: dict[str, str]) -> int:
    """Cancel the pending jobs whose current message was purged; how many."""
    cancelled = 0
    for job in Job.objects.filter(pk__in=list(job_tasks)):
        if job.task_id == job_tasks[str(job.pk)] and job.status == "pending":
            try:
                services.job_cancel(job=job)
                cancelled += 1
            except services.JobConflict:
                pass
    return cancelled


def _job_of_message(raw: bytes) -> tuple[str | None, str | None]:
    """(job id, task id) of a kombu Redis message carrying `jobs.run`, else (None, None)."""
    try:
        message = json.loads(raw)
        headers = message.get("headers") or {}
        if headers.get("task") != "jobs.run":
            return None, None
        body = message.get("body")
        if message.get("properties", {}).get("body_encoding") == "base64":
            body = base64.b64decode(body)
        args = json.loads(body)[0]
        return (str(args[0]) if args else None), headers.get("id")
    except (ValueError, TypeError, KeyError, IndexError):
        return None, None
