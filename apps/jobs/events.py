"""The event path, in one module: store an event with the job's new state, then push it.

Store first (one transaction: lock the job row, check the transition, bump `seq`, update the
job, insert the event), then publish to the groups `job.<id>`, `user.<owner>` and `staff`
after the transaction commits. The stored log is the truth; the push is a fast copy, and a
client that missed one recovers with `after=<seq>`. Nothing else in the project sends to the
channel layer.
"""
from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
import uuid
from datetime import datetime
from datetime import timezone as dt_timezone
from typing import Any

from channels.layers import DEFAULT_CHANNEL_LAYER, channel_layers
from django.db import InterfaceError, OperationalError, connection, transaction
from django.utils import timezone

from apps.jobs import eventloop, metrics, states, store
from apps.jobs.models import Event, Job
from apps.jobs.signals import job_finished

logger = logging.getLogger(__name__)

STAFF_GROUP = "staff"
JOB_EVENT_MESSAGE = "job.event"  # handled by consumers' `job_event`


def job_group(job_id: uuid.UUID | str) -> str:
    return f"job.{job_id}"


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def event_groups(job_id: uuid.UUID | str, owner_id: int | None) -> tuple[str, ...]:
    """Every group an event is pushed to: its job's followers, its owner's feed, staff feeds."""
    if owner_id is None:  # an ownerless job (a Django task enqueued outside owned_by): staff only
        return job_group(job_id), STAFF_GROUP
    return job_group(job_id), user_group(owner_id), STAFF_GROUP


def event_payload(event: Event, job_id: uuid.UUID | str | None = None) -> dict[str, Any]:
    """The wire shape of an event (CONTRACT.md)."""
    return {
        "type": "event",
        "job_id": str(job_id or event.job_id),
        "seq": event.seq,
        "event": event.event,
        "status": event.status,
        "stage": event.stage,
        "progress": event.progress,
        "message": event.message,
        "data": event.data,
        "ts": format_ts(event.ts),
    }


def format_ts(ts: datetime) -> str:
    return ts.astimezone(dt_timezone.utc).isoformat(timespec="microseconds")


# A database that blinks (failover, restart, a killed backend) must not lose an event: the
# transaction rolled back, so storing it again is safe. Bounded: ≈3.5 s in all.
_STORE_RETRY_DELAYS = (0.25, 1.0, 2.25)


def record(job_id: uuid.UUID | str, event: str, **fields: Any) -> dict[str, Any]:
    """Store one event and the job's new state atomically, then publish it after commit.

    Raises `states.TransitionRefused` when the event does not fit the job's status (the caller
    decides what that means: a cancelled job stops, a stale message is dropped), and
    `StaleAttempt` when `expect_attempt` no longer matches (an old attempt's late message).
    A lost database connection is retried a few times when no outer transaction is open.
    """
    for delay in (*_STORE_RETRY_DELAYS, None):
        try:
            return _record_once(job_id, event, **fields)
        except (OperationalError, InterfaceError) as exc:
            if delay is None or connection.in_atomic_block:
                raise
            logger.warning("storing %s for job %s failed (%s); retrying in %.2fs", event, job_id, exc, delay)
            connection.close()
            time.sleep(delay)
    raise AssertionError("unreachable")


def _record_once(
    job_id: uuid.UUID | str,
    event: str,
    *,
    stage: str | None = None,
    progress: float | None = None,
    message: str | None = None,
    data: dict[str, Any] | None = None,
    result: Any = None,
    error: dict[str, Any] | None = None,
    task_id: str | None = None,
    heartbeat: bool | None = None,
    expect_attempt: int | None = None,
) -> dict[str, Any]:
    ts = timezone.now()
    with transaction.atomic():
        job = store.lock_job(job_id)
        if expect_attempt is not None and job.attempt != expect_attempt:
            raise StaleAttempt(job.attempt, expect_attempt)
        step = states.transition(
            event=event, status=job.status, progress=job.progress, new_progress=progress
        )
        seq = job.seq + 1
        changes: dict[str, Any] = {"seq": seq, "status": step.status, "progress": step.progress,
                                   "updated_at": ts}
        if stage is not None:
            changes["stage"] = stage
        if message is not None:
            changes["message"] = message
        if step.new_attempt:
            changes["attempt"] = job.attempt + 1
        if event == states.STARTED:
            changes["started_at"] = ts
        if event == states.PENDING and job.status in states.RETRYABLE:
            changes.update(result=None, error=None, finished_at=None, started_at=None)
        if event in states.TERMINAL:
            changes["finished_at"] = ts
            changes["heartbeat_at"] = None
        elif heartbeat is True or event == states.STARTED:
            changes["heartbeat_at"] = ts
        elif heartbeat is False:
            changes["heartbeat_at"] = None
        if event == states.SUCCESS:
            changes["result"] = result
        if event == states.FAILURE:
            changes["error"] = error
        if task_id is not None:
            changes["task_id"] = task_id
        store.update_job(job.pk, changes)
        stored = Event(
            job_id=job.pk,
            seq=seq,
            event=event,
            status=step.status,
            stage=changes.get("stage", job.stage),
            progress=step.progress,
            message=changes.get("message", job.message),
            data=data or {},
            ts=ts,
        )
        store.insert_event(job_id=stored.job_id, seq=stored.seq, event=stored.event, status=stored.status,
                           stage=stored.stage, progress=stored.progress, message=stored.message,
                           data=stored.data, ts=stored.ts)
        payload = event_payload(stored, job.pk)
        owner_id = job.owner_id
        kind = job.kind
        transaction.on_commit(lambda: publish(payload, owner_id))
        transaction.on_commit(lambda: metrics.event_recorded(kind=kind, event=event, status=step.status, seq=seq))
        if event in states.TERMINAL:
            transaction.on_commit(lambda: job_finished.send(
                sender=Job, job_id=job.pk, kind=kind, status=step.status, owner_id=owner_id))
    return payload


class StaleAttempt(Exception):
    """An event from an attempt that is no longer the job's current one."""

    def __init__(self, current: int, expected: int) -> None:
        super().__init__(f"job is on attempt {current}, event came from attempt {expected}")
        self.current = current
        self.expected = expected


# --- publishing --------------------------------------------------------------------------
# One drain coroutine per process sends queued events in order: concurrent group_send calls
# could overtake each other, and consumers treat seq order as meaningful.

_PUBLISH_RETRIES = 3
_BATCH_MAX = 200  # events per pipelined write; bounds the burst one failure can cost
Messages = list[tuple[tuple[str, ...], dict[str, Any]]]  # (groups, channel-layer message) in order
_publisher: dict[str, Any] = {"pid": None, "queue": None, "layer": None}
_publisher_lock = threading.Lock()
stats = {"published": 0, "publish_errors": 0}


def publish(payload: dict[str, Any], owner_id: int) -> None:
    """Queue an already-stored event for pushing; never blocks and never raises into callers."""
    queue = _publish_queue()
    eventloop.call_soon(queue.put_nowait, (time.monotonic(), payload, owner_id))


def _publish_queue() -> asyncio.Queue:
    if _publisher["pid"] == os.getpid():
        return _publisher["queue"]
    with _publisher_lock:
        if _publisher["pid"] != os.getpid():
            # A fresh layer per process: one inherited across fork holds the parent's sockets.
            layer = channel_layers.make_backend(DEFAULT_CHANNEL_LAYER)
            future = eventloop.submit(lambda: _start_drain(layer))
            _publisher.update(queue=future.result(timeout=10), layer=layer, pid=os.getpid())
    return _publisher["queue"]


async def _start_drain(layer) -> asyncio.Queue:
    queue: asyncio.Queue = asyncio.Queue()
    asyncio.get_running_loop().create_task(_drain(queue, layer))
    return queue


async def _drain(queue: asyncio.Queue, layer) -> None:
    """Send queued events in order: each time, everything queued so far in one write."""
    send = _pipelined_sender(layer) or _sender_per_group(layer)
    while True:
        batch = [await queue.get()]
        while len(batch) < _BATCH_MAX and not queue.empty():
            batch.append(queue.get_nowait())
        messages = [(event_groups(payload["job_id"], owner_id), {"type": JOB_EVENT_MESSAGE, "event": payload})
                    for _queued_at, payload, owner_id in batch]
        for attempt in range(_PUBLISH_RETRIES):
            try:
                async with asyncio.timeout(5):
                    await send(messages)
                break
            except Exception as exc:  # Redis down or slow: the stored log still has them.
                if attempt == _PUBLISH_RETRIES - 1:
                    stats["publish_errors"] += len(batch)
                    for _queued_at, payload, _owner in batch:
                        logger.warning("push of %s #%s failed (%s); clients recover by after=seq",
                                       payload["job_id"], payload["seq"], exc)
                else:
                    await asyncio.sleep(0.05 * (attempt + 1))
        stats["published"] += len(batch)
        for _ in batch:
            queue.task_done()


def _sender_per_group(layer):
    """Any channel layer: one `group_send` per group and event."""
    async def send(messages: Messages) -> None:
        for groups, message in messages:
            for group in groups:
                await layer.group_send(group, message)
    return send


def _pipelined_sender(layer):
    """The project's layer (Redis pub/sub, one host): all PUBLISHes of a batch in one round trip.

    `group_send` sends each PUBLISH alone and waits for its reply; with three groups per event
    that was most of the worker's time spent pushing (docs/benchmarks.md). The channel names
    and the encoding are the layer's own (`group_channel_name`, `layer.serialize`).
    """
    from channels_redis.pubsub import RedisPubSubChannelLayer
    from channels_redis.utils import create_pool, decode_hosts
    from django.conf import settings
    from redis import asyncio as aioredis

    config = settings.CHANNEL_LAYERS[DEFAULT_CHANNEL_LAYER].get("CONFIG", {})
    hosts = decode_hosts(config.get("hosts"))
    if not isinstance(layer, RedisPubSubChannelLayer) or len(hosts) != 1:
        return None
    client = aioredis.Redis(connection_pool=create_pool(hosts[0]))
    prefix = config.get("prefix", "asgi")

    async def send(messages: Messages) -> None:
        pipe = client.pipeline(transaction=False)
        for groups, message in messages:
            data = layer.serialize(message)
            for group in groups:
                pipe.publish(group_channel_name(prefix, group), data)
        await pipe.execute()
    return send


def group_channel_name(prefix: str, group: str) -> str:
    """The Redis channel of a group in channels_redis's pub/sub layer (a test pins it to theirs)."""
    return f"{prefix}__group__{group}"


def flush_publishes(timeout: float = 5.0) -> bool:
    """Wait until this process's queued pushes went out (end of a task, before recycling)."""
    if _publisher["pid"] != os.getpid():
        return True
    queue: asyncio.Queue = _publisher["queue"]
    try:
        eventloop.submit(lambda: asyncio.wait_for(queue.join(), timeout)).result(timeout + 1)
        return True
    except Exception:
        logger.warning("event pushes still queued after %.1fs", timeout)
        return False
