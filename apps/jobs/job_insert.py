"""A new job row by one prepared INSERT (`store.EventStore.insert`, the statement written once).

`Job.objects.create` was 12% of a POST /api/jobs/'s CPU (docs/benchmarks.md, "Second round"),
most of it the insert compiler building the same statement on every call. Here the model still
fills its defaults (`Job(...)`) and every field still goes through `pre_save` (the `auto_now`
timestamps) and `get_db_prep_save` (via `EventStore.prep`), so the row is stored exactly as the
ORM stores it; only the compilation is done once. No `pre_save`/`post_save` signal is sent:
nothing in the project listens for Job saves (job_create announces a job by its pending event).
"""
from __future__ import annotations

from typing import Any

from apps.jobs.models import Job
from apps.jobs.store import EventStore


class JobInsert(EventStore):
    """The INSERT of one job, on a cursor of the `default` connection (inside its transaction)."""

    def insert_job(self, **values: Any) -> Job:
        job = Job(**values)
        self.insert(Job, {f.name: f.pre_save(job, True) for f in Job._meta.concrete_fields})
        job._state.adding = False
        job._state.db = self.connection.alias
        return job
