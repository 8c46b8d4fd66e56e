"""A new job row by one prepared INSERT, the statement written once per database.

`Job.objects.create` was 12% of a POST /api/jobs/'s CPU (docs/benchmarks.md, "Second round"),
most of it the insert compiler building the same statement on every call. Here the model still
fills its defaults (`Job(...)`) and every field still goes through `pre_save` (the `auto_now`
timestamps) and `get_db_prep_save` (via `EventStore.prep`), so the row is stored exactly as the
ORM stores it; only the compilation is done once. No `pre_save`/`post_save` signal is sent:
nothing in the project listens for Job saves (job_create announces a job by its pending event).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from apps.jobs.models import Job
from apps.jobs.store import EventStore, _placeholder, _quote


class JobInsert(EventStore):
    """The INSERT of one job, on a cursor of the `default` connection (inside its transaction)."""

    def insert_job(self, **values: Any) -> Job:
        job = Job(**values)
        fields = Job._meta.concrete_fields
        self._run(_job_insert_sql(self.vendor), [self.prep(f, f.pre_save(job, True)) for f in fields])
        job._state.adding = False
        job._state.db = self.connection.alias
        return job


@lru_cache(maxsize=None)
def _job_insert_sql(vendor: str) -> str:
    fields = Job._meta.concrete_fields
    columns = ", ".join(_quote(vendor, f.column) for f in fields)
    placeholders = ", ".join([_placeholder(vendor)] * len(fields))
    return f"INSERT INTO {_quote(vendor, Job._meta.db_table)} ({columns}) VALUES ({placeholders})"
