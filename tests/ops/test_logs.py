"""Log records name their job (id, kind, Celery task id); JSON lines on request."""
from __future__ import annotations

import json
import logging

from apps.ops import logs


def record(message: str = "hello") -> logging.LogRecord:
    rec = logging.LogRecord("apps.x", logging.INFO, __file__, 1, message, None, None)
    logs.JobContextFilter().filter(rec)
    return rec


def test_plain_lines_carry_the_bound_job_and_nothing_otherwise():
    formatter = logging.Formatter(logs.PLAIN_FORMAT)
    logs.clear()
    assert formatter.format(record()).endswith(" INFO apps.x hello")
    logs.bind(job_id="j-1", kind="jobs.ticker", task_id="t-1")
    try:
        assert formatter.format(record()).endswith(" INFO apps.x [job=j-1 kind=jobs.ticker task=t-1] hello")
    finally:
        logs.clear()


def test_json_lines_are_one_object_with_the_job_fields():
    logs.bind(job_id="j-2", kind="ocr.extract", task_id="t-2")
    try:
        line = logs.JsonFormatter().format(record("stage 2 of 3"))
    finally:
        logs.clear()
    entry = json.loads(line)
    assert entry["message"] == "stage 2 of 3" and entry["level"] == "INFO" and entry["logger"] == "apps.x"
    assert (entry["job_id"], entry["job_kind"], entry["task_id"]) == ("j-2", "ocr.extract", "t-2")
    assert entry["ts"].endswith("+00:00")
    assert "job_id" not in json.loads(logs.JsonFormatter().format(record()))
