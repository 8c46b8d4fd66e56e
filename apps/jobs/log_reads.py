"""What a stream reads from the stored log: a job's snapshot with its events, and a gap's events.

Plain (sync) functions, shared by the WebSocket consumers and the SSE streams, which each run
them on their own threads (`database_sync_to_async`, the SSE streams' `_db` executor). A module
of its own because it needs both `selectors` and `serializers` (the job's wire shape), and
`serializers` already imports `events`.
"""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from apps.jobs import events, selectors
from apps.jobs.serializers import job_payload


def snapshot_and_events(user, job_id: uuid.UUID | str, after: int) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The job as `user` may see it and its stored events after `after`; (None, []) when not theirs."""
    job = selectors.job_for_user(user, job_id)
    if job is None:
        return None, []
    return job_payload(job), events.stored_payloads(job.pk, after)


def events_in(job_id: uuid.UUID | str, seqs: range, since: datetime | None = None) -> list[dict[str, Any]]:
    """Stored events whose seq is in `seqs`; with `since`, only those emitted from then on."""
    return events.stored_payloads(job_id, seqs.start - 1, before=seqs.stop, since=since)
