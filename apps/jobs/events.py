"""What an event is and the one way to write it: store it with the job's new state, then push it.

Store first (one transaction: lock the job row, check the transition, bump `seq`, update the
job, insert the event), then hand it to `publisher` for the groups `job.<id>`, `user.<owner>`
and `staff` after the transaction commits. The stored log is the truth; the push is a fast
copy, and a client that missed one recovers with `after=<seq>`. How the push travels is
`publisher.py`; nothing else in the project sends to the channel layer.
"""
from __future__ import annotations

import json
import logging
import time
import uuid
from datetime import datetime
from datetime import timezone as dt_timezone
from typing import Any

from django.db import InterfaceError, OperationalError, connection, transaction
from django.utils import timezone

from apps.jobs import metrics, publisher, selectors, states, store
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
    """The wire shape of a stored event (docs/api.md)."""
    return payload_of(job_id or event.job_id, event.seq, event.event, event.status, event.stage,
                      event.progress, event.message, event.data, event.ts)


def payload_of(job_id: uuid.UUID | str, seq: int, event: str, status: str, stage: str, progress: int,
               message: str, data: dict[str, Any], ts: datetime) -> dict[str, Any]:
    """The wire shape of an event from its fields: `record` builds it without a model instance."""
    return {"type": "event", "job_id": str(job_id), "seq": seq, "event": event, "status": status,
            "stage": stage, "progress": progress, "message": message, "data": data, "ts": format_ts(ts)}


def stored_payloads(job_id: uuid.UUID | str, after: int, before: int | None = None,
                    since: datetime | None = None) -> list[dict[str, Any]]:
    """Stored events with after < seq (< before), as pushed; with `since`, only those emitted
    from then on. What every stream reads to fill a gap a lost or skipped push left."""
    return [event_payload(e) for e in selectors.job_events_after(job_id, after)
            if (before is None or e.seq < before) and (since is None or e.ts >= since)]


def wire_text(payload: dict[str, Any]) -> str:
    """An event frame as sockets send it (compact JSON): encoded once per event, not per socket."""
    return json.dumps(payload, separators=(",", ":"))


def live_message(payload: dict[str, Any]) -> dict[str, Any]:
    """The channel-layer message of an event: its frame text once, plus the scalars streams act on.

    Streams send `text` as it is and read only `job_id` and `seq` (dedupe, gap fill), `event`
    (the SSE event line, the end of a job's stream) and `ts` (the delivery-latency metric). No
    dict copy of the event: it made every push msgpack the event a second time, Redis carry it
    twice and every daphne decode it for each message (docs/architecture.md).
    """
    return {"type": JOB_EVENT_MESSAGE, "job_id": payload["job_id"], "seq": payload["seq"],
            "event": payload["event"], "ts": payload["ts"], "text": wire_text(payload)}


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
    state: dict[str, Any] | None = None,
) -> dict[str, Any]:
    ts = timezone.now()
    with transaction.atomic(), store.EventStore() as db:
        job = db.lock_job(job_id)
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
        if state is not None:  # the runner's bookkeeping, written with the event (execution.py)
            changes["state"] = state
        db.update_job(job.pk, changes)
        stage_now = stage if stage is not None else job.stage
        message_now = message if message is not None else job.message
        data = data or {}
        db.insert_event(job_id=job.pk, seq=seq, event=event, status=step.status, stage=stage_now,
                        progress=step.progress, message=message_now, data=data, ts=ts)
        payload = payload_of(job.pk, seq, event, step.status, stage_now, step.progress, message_now, data, ts)
        # What job_finished's receivers need, from the locked row, so they need not read it back.
        finished = ({"notify": job.notify, "started_at": job.started_at, "finished_at": ts}
                    if event in states.TERMINAL else None)
        transaction.on_commit(lambda: _after_commit(payload, job.pk, job.owner_id, job.kind, finished))
    return payload


def _after_commit(payload: dict[str, Any], job_id: uuid.UUID, owner_id: int | None, kind: str,
                  finished: dict[str, Any] | None = None) -> None:
    """Push the stored event, count it, and announce a finished job (one commit hook per event)."""
    publisher.publish(event_groups(job_id, owner_id), live_message(payload))
    event, status = payload["event"], payload["status"]
    metrics.event_recorded(kind=kind, event=event, status=status, seq=payload["seq"])
    if event in states.TERMINAL:
        job_finished.send(sender=Job, job_id=job_id, kind=kind, status=status, owner_id=owner_id, **(finished or {}))


class StaleAttempt(Exception):
    """An event from an attempt that is no longer the job's current one."""

    def __init__(self, current: int, expected: int) -> None:
        super().__init__(f"job is on attempt {current}, event came from attempt {expected}")
        self.current = current
        self.expected = expected
