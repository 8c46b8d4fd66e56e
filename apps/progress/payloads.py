"""celery-progress's wire format (`Progress.get_info()` of celery-progress 0.5), read from Jobcast jobs.

Pages written for celery-progress poll `/celery-progress/<task_id>/` or listen on
`/ws/progress/<task_id>/` and understand exactly these shapes; here they come from the job
whose current Celery task id is `task_id`, and only for a user who may see that job.
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from apps.jobs import selectors, states
from apps.jobs.models import Event, Job

PROGRESS_STATE = "PROGRESS"


def job_for_task(user, task_id: str) -> tuple[Job | None, bool]:
    """(the job behind `task_id` if `user` may see it, whether such a job exists at all)."""
    job = Job.objects.filter(task_id=task_id).order_by("-created_at").first()
    if job is None:
        return None, False
    return selectors.job_for_user(user, job.pk), True


def unknown_task_payload() -> dict[str, Any]:
    """What celery-progress answers for a task nobody has heard of yet: pending, keep polling."""
    return {"state": "PENDING", "complete": False, "success": None, "progress": _unknown_progress("PENDING")}


def task_payload(job: Job) -> dict[str, Any]:
    """The job as celery-progress's JSON: state, complete, success, progress, result."""
    status = job.status
    if status == states.SUCCESS:
        return {"state": "SUCCESS", "complete": True, "success": True, "progress": _completed_progress(),
                "result": job.result}
    if status == states.FAILURE:
        message = (job.error or {}).get("message") or job.message
        return {"state": "FAILURE", "complete": True, "success": False, "progress": _completed_progress(),
                "result": message}
    if status == states.REVOKED:
        return {"state": "REVOKED", "complete": True, "success": False, "progress": _completed_progress(),
                "result": "Task revoked"}
    if status == states.RETRY:
        return {"state": "RETRY", "complete": True, "success": False, "progress": _completed_progress(),
                "result": _retry_result(job)}
    if status == states.PENDING:
        return {"state": "PENDING", "complete": False, "success": None, "progress": _unknown_progress("PENDING")}
    meta = _progress_meta(job)
    if meta is None:
        return {"state": "STARTED", "complete": False, "success": None, "progress": _unknown_progress("STARTED")}
    return {"state": PROGRESS_STATE, "complete": False, "success": None, "progress": meta}


def _progress_meta(job: Job) -> dict[str, Any] | None:
    """celery-progress's PROGRESS meta from the attempt's latest progress event (None: none yet)."""
    if job.progress <= 0:
        return None
    last = (Event.objects.filter(job_id=job.pk, event=states.PROGRESS).order_by("-seq")
            .only("data", "message", "progress").first())
    data = last.data if last is not None else {}
    current, total = data.get("current"), data.get("total")
    if not _is_number(current) or not _is_number(total):
        current, total = job.progress, 100
    percent = float(round(Decimal(str(current)) / Decimal(str(total)) * 100, 2)) if total > 0 else 0
    return {"pending": False, "current": current, "total": total, "percent": percent,
            "description": job.message or ""}


def _retry_result(job: Job) -> dict[str, Any]:
    """celery-progress's retry result: seconds until the next try and the reason, shortened."""
    last = Event.objects.filter(job_id=job.pk, event=states.RETRY).order_by("-seq").only("data", "message").first()
    countdown = (last.data or {}).get("countdown") if last is not None else None
    if not _is_number(countdown):
        found = re.search(r"in (\d+)", job.message or "")
        countdown = int(found.group(1)) if found else "Unknown"
    return {"next_retry_seconds": int(countdown) if _is_number(countdown) else countdown,
            "message": f"{(job.message or '')[0:50]}..."}


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _completed_progress() -> dict[str, Any]:
    return {"pending": False, "current": 100, "total": 100, "percent": 100}


def _unknown_progress(state: str) -> dict[str, Any]:
    return {"pending": state == "PENDING", "current": 0, "total": 100, "percent": 0}
