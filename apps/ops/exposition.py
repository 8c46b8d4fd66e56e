"""What `/metrics` shows: the process's (or, in multiprocess mode, every process's) metrics plus
figures read at scrape time: jobs by kind and status from the database, queue lengths from Redis."""
from __future__ import annotations

import ipaddress
import logging
import os
from collections.abc import Iterator

import redis
from amqp.exceptions import AMQPError
from django.conf import settings
from django.db.models import Count
from kombu.exceptions import OperationalError
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from apps.jobs.models import Job
from apps.jobs.queues import broker_is_amqp
from apps.ops import amqp_queues

logger = logging.getLogger(__name__)

# Redis emulates priorities with one list per step: `<queue>` and `<queue>:1` … `<queue>:9`
# (CELERY_BROKER_TRANSPORT_OPTIONS "sep" and "priority_steps").
PRIORITY_STEPS = range(1, 10)
# What reading RabbitMQ's queue lengths can raise besides Redis' errors.
BROKER_ERRORS = (OSError, AMQPError, OperationalError)


def metrics_allowed(*, remote_addr: str | None, authorization: str | None) -> bool:
    """Loopback (or OPS_METRICS_ALLOWED_IPS) clients, or the bearer token when one is set."""
    if settings.OPS_METRICS_TOKEN and authorization == f"Bearer {settings.OPS_METRICS_TOKEN}":
        return True
    try:
        address = ipaddress.ip_address(remote_addr or "")
    except ValueError:
        return False
    for allowed in settings.OPS_METRICS_ALLOWED_IPS:
        try:
            if address in ipaddress.ip_network(allowed, strict=False):
                return True
        except ValueError:
            logger.warning("OPS_METRICS_ALLOWED_IPS entry %r is not an address or network", allowed)
    return False


def queue_key_names(queue: str) -> list[str]:
    sep = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("sep", ":")
    return [queue] + [f"{queue}{sep}{step}" for step in PRIORITY_STEPS]


def queue_lengths(queues: list[str] | None = None) -> dict[str, int]:
    """Messages waiting per queue (every priority list added up), read with LLEN (or from RabbitMQ)."""
    if broker_is_amqp():
        return amqp_queues.queue_lengths(queues or list(settings.JOBS_QUEUES))
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=2, socket_connect_timeout=2)
    try:
        pipe = client.pipeline(transaction=False)
        names = queues or list(settings.JOBS_QUEUES)
        for queue in names:
            for key in queue_key_names(queue):
                pipe.llen(key)
        counts = pipe.execute()
    finally:
        client.close()
    steps = len(PRIORITY_STEPS) + 1
    return {queue: sum(counts[i * steps:(i + 1) * steps]) for i, queue in enumerate(names)}


class JobcastStateCollector(Collector):
    """Scrape-time gauges that are the same whichever process answers: database and broker state."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        jobs = GaugeMetricFamily("jobcast_jobs", "Jobs in the database by kind and status.", labels=["kind", "status"])
        for row in Job.objects.values("kind", "status").annotate(n=Count("id")).order_by():
            jobs.add_metric([row["kind"], row["status"]], row["n"])
        yield jobs
        lengths = GaugeMetricFamily("jobcast_queue_length", "Messages waiting in a Celery queue.", labels=["queue"])
        up = GaugeMetricFamily("jobcast_broker_up", "1 when the broker answered this scrape.")
        try:
            for queue, length in queue_lengths().items():
                lengths.add_metric([queue], length)
            up.add_metric([], 1)
        except (redis.RedisError, *BROKER_ERRORS) as exc:
            logger.warning("queue lengths unavailable: %s", exc)
            up.add_metric([], 0)
        yield lengths
        yield up


def render_metrics() -> bytes:
    """The exposition text: process metrics (all processes in multiprocess mode) + state gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        process_registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(process_registry)
    else:
        process_registry = REGISTRY
    state_registry = CollectorRegistry(auto_describe=False)
    state_registry.register(JobcastStateCollector())
    return generate_latest(process_registry) + generate_latest(state_registry)
