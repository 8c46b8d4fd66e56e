"""Which queues live workers consume, so a job nobody will run can say so.

Each Celery worker announces its hostname and queues in one Redis hash every
JOBS_WORKER_ANNOUNCE_S seconds (a thread started on `worker_ready`, withdrawn on shutdown).
Web processes read the hash at most once per JOBS_WORKER_ANNOUNCE_S and treat an entry older
than three intervals as a dead worker. Why not Celery's `inspect()`: it broadcasts and waits
up to its timeout for replies, which a GET must never do; a read of one hash costs a round trip.
"""
from __future__ import annotations

import json
import logging
import threading
import time
from typing import Any

import redis
from django.conf import settings

logger = logging.getLogger(__name__)

KEY = "jobcast:workers"


def _client() -> redis.Redis:
    global _redis
    if _redis is None:
        _redis = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"], socket_timeout=2,
                                      socket_connect_timeout=2)
    return _redis


_redis: redis.Redis | None = None
_cache: dict[str, Any] = {"at": 0.0, "queues": None}


def announce(hostname: str, queues: list[str]) -> None:
    """Say that `hostname` consumes `queues`, now."""
    _client().hset(KEY, hostname, json.dumps({"queues": sorted(queues), "ts": time.time()}))


def withdraw(hostname: str) -> None:
    _client().hdel(KEY, hostname)


def live_queues() -> set[str] | None:
    """Queues some live worker consumes; None when Redis cannot tell (then nothing is claimed)."""
    interval = settings.JOBS_WORKER_ANNOUNCE_S
    now = time.monotonic()
    if now - _cache["at"] < interval:
        return _cache["queues"]
    try:
        entries = _client().hgetall(KEY)
    except redis.RedisError as exc:
        logger.warning("cannot read the workers' queues: %s", exc)
        queues = None
    else:
        fresh_after = time.time() - 3 * interval
        queues = set()
        for raw in entries.values():
            entry = json.loads(raw)
            if entry["ts"] >= fresh_after:
                queues.update(entry["queues"])
    _cache.update(at=now, queues=queues)
    return queues


def queue_warnings(*, status: str, queue: str) -> list[str]:
    """A pending job on a queue no live worker consumes gets a warning naming that queue."""
    if status != "pending" or not settings.CELERY_ENABLED:
        return []
    queues = live_queues()
    if queues is None or queue in queues:
        return []
    return [f"no worker listens on queue {queue}"]


class Announcer:
    """The worker side: announce now and every interval until stopped."""

    def __init__(self, hostname: str, queues: list[str]) -> None:
        self.hostname, self.queues = hostname, queues
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="jobcast-announcer", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        try:
            withdraw(self.hostname)
        except redis.RedisError as exc:
            logger.warning("could not withdraw worker %s: %s", self.hostname, exc)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                announce(self.hostname, self.queues)
            except redis.RedisError as exc:  # Redis blinked: the next beat tries again
                logger.warning("could not announce worker %s: %s", self.hostname, exc)
            self._stop.wait(settings.JOBS_WORKER_ANNOUNCE_S)


_announcer: dict[str, Announcer] = {}


def on_worker_ready(sender, **kwargs) -> None:
    """celery's worker_ready: start announcing this worker's queues."""
    queues = list(sender.app.amqp.queues.consume_from.keys())
    announcer = Announcer(sender.hostname, queues)
    _announcer["current"] = announcer
    announcer.start()


def on_worker_shutdown(sender, **kwargs) -> None:
    announcer = _announcer.pop("current", None)
    if announcer is not None:
        announcer.stop()
