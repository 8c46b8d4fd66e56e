"""What a job body sees: `ctx.stage()`, `ctx.progress()`, `ctx.output()`, `ctx.log()`, `ctx.check_cancelled()`.

Bodies know nothing of Celery, groups or Redis. Progress is coalesced here, at the source: at
most one progress event per job per JOBS_PROGRESS_MIN_INTERVAL_MS; the latest held-back value
is written before any other event (stage change, log, terminal) so it is never lost. Output
text is coalesced in the same window, but joined rather than replaced: nothing is dropped.
"""
from __future__ import annotations

import asyncio
import logging
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connections

from apps.jobs import events, states
from apps.jobs.exceptions import JobCancelled
from apps.jobs.messages import with_i18n
from apps.jobs.models import Job

logger = logging.getLogger(__name__)

# Called from inside a coroutine body, the sync ORM would raise SynchronousOnlyOperation; such
# calls are run on this thread and awaited synchronously (a store takes ~1 ms).
_db_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jobcast-ctx-db")


def _in_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
        return True
    except RuntimeError:
        return False


def _run_sync(fn, *args, **kwargs):
    if _in_event_loop():
        def call():
            try:
                return fn(*args, **kwargs)
            finally:
                close_old_connections()
        return _db_thread.submit(call).result()
    return fn(*args, **kwargs)


class JobContext:
    """The reporting handle passed to a job body (one per attempt)."""

    def __init__(self, job: Job, *, min_interval_ms: int | None = None) -> None:
        self.job_id: uuid.UUID = job.id
        self.kind: str = job.kind
        self.params: dict[str, Any] = job.params
        self.owner_id: int = job.owner_id
        self.attempt: int = job.attempt
        self.stage_name: str = job.stage
        interval = settings.JOBS_PROGRESS_MIN_INTERVAL_MS if min_interval_ms is None else min_interval_ms
        self._interval = interval / 1000.0
        self._last_progress_at = 0.0
        self._held: tuple[float, str | None, dict[str, Any]] | None = None
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._output_held: list[str] = []
        self._last_output_at = 0.0
        self._output_lock = threading.Lock()  # one writer at a time keeps chunks in order

    # --- the body's API ---------------------------------------------------------------------

    def stage(self, name: str, progress: float | None = None, message: str = "", **data: Any) -> None:
        """Enter a named stage (never coalesced), optionally moving the bar."""
        self.stage_name = name
        self._emit(states.STAGE, stage=name, progress=progress, message=message or None, data=data)

    def progress(self, value: float, total: float | None = None, message: str = "", **data: Any) -> None:
        """Report progress as a percentage, or as `current` of `total`.

        Coalesced: calls closer together than the configured window only keep the latest
        value, which goes out when the window ends (or with the next event, whichever is first).
        Raises JobCancelled once the job is revoked.
        """
        pct = (100.0 * value / total) if total else float(value)
        if total:
            data = {"current": value, "total": total, **data}
        now = time.monotonic()
        with self._lock:
            due = now - self._last_progress_at >= self._interval
            if not due:
                self._held = (pct, message or None, data)
        if due:
            self._emit(states.PROGRESS, progress=pct, message=message or None, data=data, flush=False)
            self._last_progress_at = now
        else:
            self._flush_later(self._interval - (now - self._last_progress_at))
            self.check_cancelled()

    def output(self, text: str) -> None:
        """Append text to the job's streamed output (an `output` event with data.text).

        Coalesced like progress: chunks closer together than the window are joined into one
        event when it ends (or before the next other event); none is ever dropped.
        """
        if not isinstance(text, str):
            raise TypeError(f"ctx.output() takes a str, not {type(text).__name__}")
        if not text:
            return
        now = time.monotonic()
        with self._lock:
            self._output_held.append(text)
            due = now - self._last_output_at >= self._interval
        if due:
            self._flush_output()
        else:
            self._flush_later(self._interval - (now - self._last_output_at))
            self.check_cancelled()

    def log(self, message: str, **data: Any) -> None:
        """Add a line to the job's timeline."""
        self._emit(states.LOG, message=message, data=data)

    def check_cancelled(self) -> None:
        """Raise JobCancelled if the job was revoked (call it in loops that report nothing)."""
        status = _run_sync(lambda: Job.objects.filter(pk=self.job_id).values_list("status", flat=True).first())
        if status == states.REVOKED or status is None:
            raise JobCancelled(f"job {self.job_id} was cancelled")

    # --- used by the runner -----------------------------------------------------------------

    def close(self) -> None:
        """The attempt is over: no deferred flush may fire after this."""
        with self._lock:
            timer, self._timer = self._timer, None
        if timer is not None:
            timer.cancel()

    def _flush_later(self, delay: float) -> None:
        """A held value must not wait for the body's next call (it may sleep for minutes)."""
        with self._lock:
            if self._timer is not None:
                return
            self._timer = threading.Timer(max(delay, 0.0), self._deferred_flush)
            self._timer.daemon = True
            self._timer.start()

    def _deferred_flush(self) -> None:
        with self._lock:
            self._timer = None
        try:
            self.flush()
        except JobCancelled:
            pass  # the body notices at its own next call
        except Exception:  # a lost progress value is not worth killing anything for; log it
            logger.exception("deferred progress flush for job %s failed", self.job_id)
        finally:
            connections.close_all()  # this timer thread ends here; its connection would leak

    def flush(self) -> None:
        """Write held-back output and the held-back progress value, if any (before a stage change or the end)."""
        self._flush_output()
        with self._lock:
            held, self._held = self._held, None
        if held is not None:
            pct, message, data = held
            self._emit(states.PROGRESS, progress=pct, message=message, data=data, flush=False)
            self._last_progress_at = time.monotonic()

    def _flush_output(self) -> None:
        with self._output_lock:
            with self._lock:
                text, self._output_held = "".join(self._output_held), []
            if text:
                self._record(states.OUTPUT, data={"text": text})
                self._last_output_at = time.monotonic()

    def _emit(self, event: str, *, flush: bool = True, **fields: Any) -> dict[str, Any]:
        if flush:
            self.flush()
        else:
            self._flush_output()
            if self._held is not None:
                with self._lock:
                    self._held = None
        if "data" in fields:  # a message from event_message() keeps its translation key (issue 17)
            fields["data"] = with_i18n(fields.get("message"), fields["data"] or {})
        return self._record(event, **fields)

    def _record(self, event: str, **fields: Any) -> dict[str, Any]:
        try:
            payload = _run_sync(events.record, self.job_id, event, expect_attempt=self.attempt,
                                heartbeat=True, **fields)
        except (states.TransitionRefused, events.StaleAttempt) as exc:
            raise JobCancelled(str(exc)) from exc
        return payload
