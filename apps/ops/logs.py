"""Log lines that name their job: a filter adds job id, kind and Celery task id; JSON format by setting.

Celery signals (apps.ops.receivers) bind the job of the task a worker process is running; every
record logged meanwhile (by our code, Celery's or a library's) carries it.
"""
from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from datetime import datetime, timezone

_current: ContextVar[dict[str, str] | None] = ContextVar("jobcast_log_job", default=None)

PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s%(job)s %(message)s"


def bind(*, job_id: str | None, kind: str | None, task_id: str | None) -> None:
    """Name the job the current task works on, for every following log record."""
    _current.set({"job_id": job_id or "-", "job_kind": kind or "-", "task_id": task_id or "-"})


def clear() -> None:
    _current.set(None)


class JobContextFilter(logging.Filter):
    """Adds `job_id`, `job_kind`, `task_id` and a ready-made ` [job … kind … task …]` (`job`) to records."""

    def filter(self, record: logging.LogRecord) -> bool:
        current = _current.get()
        for key in ("job_id", "job_kind", "task_id"):
            setattr(record, key, (current or {}).get(key, "-"))
        record.job = (f" [job={record.job_id} kind={record.job_kind} task={record.task_id}]"
                      if current else "")
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log shippers (OPS_LOG_FORMAT=json)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="microseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        for key in ("job_id", "job_kind", "task_id"):
            value = getattr(record, key, "-")
            if value != "-":
                entry[key] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def install(fmt: str = "plain") -> None:
    """Put the filter and the chosen format on every handler of the root and Celery's loggers."""
    formatter = JsonFormatter() if fmt == "json" else logging.Formatter(PLAIN_FORMAT)
    for name in (None, "celery", "celery.task", "celery.app.trace", "celery.worker"):
        for handler in logging.getLogger(name).handlers:
            if not any(isinstance(f, JobContextFilter) for f in handler.filters):
                handler.addFilter(JobContextFilter())
            handler.setFormatter(formatter)
