"""Run one attempt (or one pipeline step) of a job: the logic behind the thin Celery task.

It re-checks on start that the job still wants running (a pending job cancelled meanwhile
never starts; a late or stale message never rewinds a finished job), recognises a message
redelivered after its worker died, runs the body with a context, and turns the outcome into
exactly one of success, failure, retry (with backoff), or nothing (cancelled, deferred).

It sends nothing itself: it returns an `Outcome` saying what should be sent next (the next
pipeline step, or a retry in N seconds) and `apps.jobs.dispatch` acts on it. So the
dependencies run one way: tasks -> dispatch -> execution.
"""
from __future__ import annotations

import asyncio
import inspect
import logging
import os
import threading
import traceback
from dataclasses import dataclass
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError, close_old_connections, transaction

from apps.jobs import events, publisher, registry, selectors, states
from apps.jobs.context import JobContext
from apps.jobs.exceptions import JobCancelled, JobDeferred, JobRetry
from apps.jobs.heartbeat import Heartbeat
from apps.jobs.messages import event_message, with_i18n
from apps.jobs.models import Job

logger = logging.getLogger(__name__)

# A job whose worker keeps dying (OOM on a poisonous input) is failed after this many
# redeliveries instead of being retried for ever.
MAX_REDELIVERIES = 3


@dataclass(frozen=True)
class Outcome:
    """What one attempt came to (`name`, for logs and tests) and what to send next, if anything.

    `send_step` is the pipeline step to send (the next one, or the same one again for a retry)
    after `countdown` seconds; None when the job needs nothing more from the dispatcher.
    """

    name: str
    send_step: int | None = None
    countdown: float | None = None


def run_attempt(job_id: str, *, task_id: str | None, step: int = 0) -> Outcome:
    """Run the job's body (or pipeline step `step`); returns what happened and what to send next."""
    job = selectors.job_by_id(job_id)
    if job is None:
        return Outcome("missing")
    if task_id is not None and job.task_id not in (None, task_id):
        logger.info("job %s: dropping stale message %s (current task %s)", job_id, task_id, job.task_id)
        return Outcome("stale")
    if job.status in states.TERMINAL:
        return Outcome("finished")
    try:
        kind = registry.get(job.kind)
    except registry.UnknownKind:
        _fail(job, {"type": "UnknownKind", "message": f"no job kind {job.kind!r} is registered"})
        return Outcome("failure")

    try:
        job = _start(job, step)
    except (states.TransitionRefused, events.StaleAttempt):
        return Outcome("refused")
    if job is None:
        return Outcome("failure")

    ctx = JobContext(job)
    heartbeat = Heartbeat(job.pk)
    heartbeat.start()
    try:
        return _run_body(job, kind, ctx, step)
    finally:
        ctx.close()
        heartbeat.stop()
        publisher.flush()


def _start(job: Job, step: int) -> Job | None:
    """Emit `started` (or `retry` then `started` for a redelivered message); mark the step running.

    The step's mark is written with the event that starts it (one transaction, not an update, a
    re-read of the status and a re-read of the job: three of the attempt's eight ORM queries,
    docs/benchmarks.md, issue 18), and the job returned is the one read, brought up to date.
    """
    state = dict(job.state or {})
    redelivered = job.status == states.STARTED and state.get("running_step") == step
    if redelivered:
        redeliveries = state.get("redeliveries", 0) + 1
        if redeliveries > MAX_REDELIVERIES:
            _fail(job, {"type": "WorkerLost", "message":
                        f"the worker running this job died {redeliveries} times; giving up"})
            return None
        state["redeliveries"] = redeliveries
        events.record(job.pk, states.RETRY, message="worker lost; the job was redelivered", state=state,
                      data={"reason": "worker_lost", "redeliveries": redeliveries})
    state["running_step"] = step
    # Step 0 starts from pending, a retried attempt from retry (a redelivered one from the retry
    # just recorded); later pipeline steps (and nothing else) find the job already started.
    if redelivered or job.status != states.STARTED:
        started = event_message("started")
        # The attempt read is the one this message runs: a cancel and retry in between is refused.
        events.record(job.pk, states.STARTED, message=started, heartbeat=True, state=state,
                      expect_attempt=None if redelivered else job.attempt,
                      data=with_i18n(started, {"worker": f"{os.uname().nodename}:{os.getpid()}", "step": step}))
    else:
        Job.objects.filter(pk=job.pk).update(state=state)
    if redelivered:
        return selectors.job_by_id(job.pk)  # the retry began a new attempt
    job.status, job.state = states.STARTED, state
    return job


def _run_body(job: Job, kind: registry.JobKind, ctx: JobContext, step: int) -> Outcome:
    body = kind.pipeline[step].run if kind.pipeline else kind.run
    step_name = kind.pipeline[step].name if kind.pipeline else None
    try:
        if kind.pipeline:
            result = _call(body, ctx, job.params, (job.state or {}).get("outputs", {}))
        else:
            result = _call(body, ctx, job.params)
        ctx.flush()
    except JobCancelled:
        return Outcome("cancelled")
    except JobDeferred:
        _mark(job.pk, running_step=None)
        Job.objects.filter(pk=job.pk).update(heartbeat_at=None)
        return Outcome("deferred")
    except SoftTimeLimitExceeded:
        return _fail_or_skip(job, ctx, {"type": "SoftTimeLimitExceeded", "message":
                                        f"soft time limit of {kind.soft_limit}s exceeded", **_step(step_name)})
    except Exception as exc:  # the body failed: retry if allowed, else fail with the reason
        return _on_error(job, kind, ctx, step, step_name, exc)

    if kind.pipeline and step + 1 < len(kind.pipeline):
        outputs = dict((job.state or {}).get("outputs", {}))
        outputs[step_name] = result
        _mark(job.pk, running_step=None, step=step + 1, outputs=outputs, retries=0)
        return Outcome("next_step", send_step=step + 1)
    try:
        done = event_message("done")
        events.record(job.pk, states.SUCCESS, result=result, message=done, data=with_i18n(done, {}),
                      expect_attempt=ctx.attempt, state=_bookkeeping(job.state, running_step=None))
    except (states.TransitionRefused, events.StaleAttempt):
        return Outcome("cancelled")
    return Outcome("success")


def _on_error(job: Job, kind: registry.JobKind, ctx: JobContext, step: int, step_name: str | None,
              exc: Exception) -> Outcome:
    if isinstance(exc, (OperationalError, InterfaceError)):
        # The body lost its database connection: drop it so writing the outcome reconnects
        # instead of failing on the dead one (which would leave the job `started`).
        close_old_connections()
    state = Job.objects.only("state").get(pk=job.pk).state or {}
    retries = state.get("retries", 0)
    max_retries = kind.pipeline[step].retries if kind.pipeline else kind.retries
    retryable = isinstance(exc, JobRetry) or (kind.retry_on and isinstance(exc, kind.retry_on))
    error = {"type": type(exc).__name__, "message": str(exc) or type(exc).__name__, **_step(step_name)}
    if retryable and retries < max_retries:
        delay = exc.countdown if isinstance(exc, JobRetry) and exc.countdown is not None else kind.retry_delay(retries)
        try:
            ctx.flush()
            events.record(job.pk, states.RETRY, expect_attempt=ctx.attempt, heartbeat=False,
                          message=f"retry {retries + 1} of {max_retries} in {delay:g}s: {error['message']}",
                          data={"retry": retries + 1, "max_retries": max_retries, "countdown": delay,
                                "error": error},
                          state=_bookkeeping(state, running_step=None, retries=retries + 1))
        except (states.TransitionRefused, events.StaleAttempt):
            return Outcome("cancelled")
        return Outcome("retry", send_step=step, countdown=delay)
    if step_name:
        suffix = f" after {retries} retries" if retries else ""
        error["message"] = f"step {step_name!r} failed{suffix}: {error['message']}"
    if not isinstance(exc, JobRetry):
        logger.warning("job %s failed: %s", job.pk, "".join(traceback.format_exception_only(exc)).strip())
        error["traceback"] = "".join(traceback.format_exception(exc))[-4000:]
    return _fail_or_skip(job, ctx, error)


def _fail_or_skip(job: Job, ctx: JobContext, error: dict[str, Any]) -> Outcome:
    try:
        ctx.flush()
    except JobCancelled:
        return Outcome("cancelled")
    try:
        events.record(job.pk, states.FAILURE, error=error, message=error["message"], expect_attempt=ctx.attempt,
                      state=_bookkeeping(job.state, running_step=None))
    except (states.TransitionRefused, events.StaleAttempt):
        return Outcome("cancelled")
    return Outcome("failure")


def _fail(job: Job, error: dict[str, Any]) -> None:
    try:
        events.record(job.pk, states.FAILURE, error=error, message=error["message"])
    except states.TransitionRefused:
        pass  # already finished: nothing to rewind


def _step(step_name: str | None) -> dict[str, str]:
    return {"stage": step_name} if step_name else {}


def _bookkeeping(state: dict[str, Any] | None, **changes: Any) -> dict[str, Any]:
    """The runner's bookkeeping with `changes`, to be written with this attempt's last event.

    Only this attempt's runner writes job.state while the attempt is current, and that event
    carries `expect_attempt`: so the state it read is the state stored, as `_mark` would lock
    and read it."""
    return {**(state or {}), **changes}


def _mark(job_id, **changes: Any) -> None:
    """Merge runner bookkeeping into job.state (only this job's runner writes it)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().only("state").get(pk=job_id)
        state = dict(job.state or {})
        state.update(changes)
        Job.objects.filter(pk=job_id).update(state=state)


def _call(body, *args: Any) -> Any:
    """Run a sync body directly; a coroutine (from an `async def` body) on this thread's loop."""
    outcome = body(*args)
    if not inspect.iscoroutine(outcome):
        return outcome
    loop = _body_loop()
    task = loop.create_task(outcome)
    try:
        return loop.run_until_complete(task)
    except BaseException:
        # Soft time limit or another interruption landed while the loop ran: cancel the body
        # so the loop is clean for the next job in this process.
        if not task.done():
            task.cancel()
            try:
                loop.run_until_complete(asyncio.gather(task, return_exceptions=True))
            except BaseException:
                _local.__dict__.pop("loop", None)
        raise


_local = threading.local()


def _body_loop() -> asyncio.AbstractEventLoop:
    """One loop per thread per process, kept open across jobs.

    asyncio.run() per task closes its loop, and clients cached by libraries then fail with
    "attached to a different loop" / "Event loop is closed" (the bug one replaced system hit).
    Created lazily, after the prefork fork, so no loop crosses a fork.
    """
    loop = getattr(_local, "loop", None)
    if loop is None or loop.is_closed() or getattr(_local, "pid", None) != os.getpid():
        loop = asyncio.new_event_loop()
        _local.loop, _local.pid = loop, os.getpid()
    return loop
