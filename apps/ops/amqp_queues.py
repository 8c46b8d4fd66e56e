"""Queue lengths and purging on RabbitMQ (CELERY_BROKER_URL=amqp://…), as `jobcast status`/`purge` need.

A passive `queue.declare` answers with the count of ready messages (not those a worker holds
unacknowledged, as with Redis' unacked hash). A queue no worker or sender declared yet does
not exist on the broker: it counts as empty.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

from amqp.exceptions import NotFound
from django.conf import settings
from kombu import Connection


@contextmanager
def _channel() -> Iterator:
    with Connection(settings.CELERY_BROKER_URL, connect_timeout=5) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=5)
        yield conn


def _ready_count(conn: Connection, channel, queue: str):
    """(ready messages, channel): a missing queue closes the channel, so a fresh one is returned."""
    try:
        return channel.queue_declare(queue=queue, passive=True).message_count, channel
    except NotFound:
        return 0, conn.channel()


def queue_lengths(queues: list[str]) -> dict[str, int]:
    """Ready messages per queue (every priority counts in one RabbitMQ queue)."""
    lengths: dict[str, int] = {}
    with _channel() as conn:
        channel = conn.channel()
        for queue in queues:
            lengths[queue], channel = _ready_count(conn, channel, queue)
    return lengths


def drain(queue: str) -> list[tuple[str | None, str | None]]:
    """Remove the messages ready in `queue` now; (job id, task id) of each (None for other tasks).

    Bounded by the count at the start, so a sender that keeps sending cannot keep this looping.
    """
    taken: list[tuple[str | None, str | None]] = []
    with _channel() as conn:
        channel = conn.channel()
        count, channel = _ready_count(conn, channel, queue)
        for _ in range(count):
            message = channel.basic_get(queue=queue, no_ack=True)
            if message is None:
                break
            taken.append(_job_of(message.headers or {}, message.body))
    return taken


def _job_of(headers: dict, body: bytes | str) -> tuple[str | None, str | None]:
    """(job id, task id) of a Celery protocol-2 message carrying `jobs.run`, else (None, None)."""
    if headers.get("task") != "jobs.run":
        return None, None
    try:
        args = json.loads(body)[0]
    except (ValueError, TypeError, IndexError, KeyError):
        return None, headers.get("id")
    return (str(args[0]) if args else None), headers.get("id")
