"""Reads: which jobs a user may see, and a job's stored events."""
from __future__ import annotations

import uuid

from django.db.models import QuerySet

from apps.jobs.models import Event, Job
from apps.jobs.pk_lookup import PkLookup

_job_by_pk = PkLookup(Job, owner_field="owner")


def jobs_visible_to(user) -> QuerySet[Job]:
    """A user sees their own jobs; staff see all."""
    qs = Job.objects.all()
    return qs if user.is_staff else qs.filter(owner=user)


def job_uuid_for(user, job_id: uuid.UUID | str) -> uuid.UUID | None:
    """The job id as a UUID when the user is signed in and it is one; None otherwise."""
    if user is None or not user.is_authenticated:
        return None
    try:
        return uuid.UUID(str(job_id))
    except ValueError:
        return None


def job_by_id(job_id: uuid.UUID | str) -> Job | None:
    """The job as stored now (a fresh instance; the SQL is not recompiled per call)."""
    return _job_by_pk.get(job_id)


def job_for_user(user, job_id: uuid.UUID | str) -> Job | None:
    """The job if it exists and the user may see it; None otherwise (existence is not revealed)."""
    job_uuid = job_uuid_for(user, job_id)
    if job_uuid is None:
        return None
    return _job_by_pk.get(job_uuid, owner_id=None if user.is_staff else user.pk)


def job_events_after(job_id: uuid.UUID | str, after: int = 0, limit: int | None = None) -> list[Event]:
    qs = Event.objects.filter(job_id=job_id, seq__gt=after).order_by("seq")
    return list(qs[:limit] if limit else qs)


def job_output(job_id: uuid.UUID | str) -> str:
    """The job's streamed text output: its `output` events' chunks joined in seq order."""
    chunks = Event.objects.filter(job_id=job_id, event="output").order_by("seq").values_list("data", flat=True)
    return "".join(str((data or {}).get("text", "")) for data in chunks)
