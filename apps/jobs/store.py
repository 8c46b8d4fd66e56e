"""The three statements of storing an event, in SQL: lock/read the job, update it, insert the event.

Why not the ORM here: this runs for every event of every job, and the ORM's query building
was most of its cost (≈1.2 ms through the ORM against ≈0.4 ms as prepared SQL on SQLite,
measured with bench/latency.py). Then (issue 18) a CPU profile of a ticker attempt showed
preparing the values was a quarter of `events.record` (20 `get_db_prep_save` calls per event,
each through the thread-local `connection` proxy) and Django's cursor wrapper another tenth
(SQLite's `%s` → `?` rewrite per statement). So: one cursor per event (`EventStore`), the
statements written once per database in its own parameter style and run on the DB-API cursor
inside Django's error translation (so a lost connection is still Django's OperationalError),
and only JSON, UUID and datetime values go through the model fields' `get_db_prep_save` (the
same value once), so they are stored exactly as the ORM would store them.
"""
from __future__ import annotations

import sqlite3
import uuid
from dataclasses import dataclass
from datetime import datetime
from datetime import timezone as dt_timezone
from functools import lru_cache
from typing import Any

from django.db import connections
from django.db.models import CharField, FloatField, IntegerField, TextField
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from apps.jobs.models import Event, Job

_JOB_COLUMNS = ("kind", "owner_id", "status", "stage", "progress", "message", "seq", "attempt", "notify",
                "started_at")
# Fields whose db value is the Python value itself (str, int, float, None).
_PLAIN_FIELDS = (CharField, TextField, IntegerField, FloatField)


@dataclass
class LockedJob:
    pk: Any
    kind: str
    owner_id: int
    status: str
    stage: str
    progress: float
    message: str
    seq: int
    attempt: int
    notify: Any  # as the driver returns it (SQLite and MySQL: 0/1)
    started_at: Any  # as the driver returns it: `started()` makes it a datetime

    def started(self) -> datetime | None:
        """`started_at` as the ORM returns it (aware, UTC): drivers give naive values or text."""
        value = self.started_at
        if isinstance(value, str):
            value = parse_datetime(value)
        if value is not None and timezone.is_naive(value):
            value = timezone.make_aware(value, dt_timezone.utc)
        return value


class EventStore:
    """The statements of one event, on one cursor of `using`'s connection (inside its transaction)."""

    def __init__(self, using: str = "default") -> None:
        self.connection = connections[using]
        self.vendor = self.connection.vendor
        self._wrapper = self.connection.cursor()
        self._cursor = self._wrapper.cursor  # the DB-API cursor under Django's wrapper
        self._execute = sqlite3.Cursor.execute if self.vendor == "sqlite" else type(self._cursor).execute
        self._prepared: dict[int, Any] = {}

    def __enter__(self) -> "EventStore":
        return self

    def __exit__(self, *exc: Any) -> None:
        self._wrapper.close()

    def lock_job(self, job_id) -> LockedJob:
        """Read the job's current state, locking its row (PostgreSQL, MariaDB) until the transaction ends.

        On SQLite the IMMEDIATE transaction already holds the database's write lock.
        """
        pk = Job._meta.pk.to_python(job_id)
        self._run(_lock_sql(self.vendor, self.connection.features.has_select_for_update),
                  [self.prep(Job._meta.pk, pk)])
        row = self._cursor.fetchone()
        if row is None:
            raise Job.DoesNotExist(f"no job {job_id}")
        return LockedJob(pk, *row)

    def update_job(self, pk, changes: dict[str, Any]) -> None:
        names = tuple(changes)
        params = [self.prep(f, changes[name]) for name, f in zip(names, _fields(Job, names))]
        self._run(_update_sql(self.vendor, names), [*params, self.prep(Job._meta.pk, pk)])

    def insert_event(self, **values: Any) -> None:
        names = tuple(values)
        self._run(_insert_sql(self.vendor, names),
                  [self.prep(f, values[name]) for name, f in zip(names, _fields(Event, names))])

    def prep(self, field, value: Any) -> Any:
        """`field.get_db_prep_save(value)`, skipped where it is the identity; each object once."""
        if value is None or (isinstance(field, _PLAIN_FIELDS) and type(value) in (str, int, float)):
            return value
        key = id(value) if isinstance(value, (datetime, uuid.UUID)) else None
        if key is not None and key in self._prepared:
            return self._prepared[key]
        prepared = field.get_db_prep_save(value, self.connection)
        if key is not None:
            self._prepared[key] = prepared
        return prepared

    def _run(self, sql: str, params: list[Any]) -> None:
        with self.connection.wrap_database_errors:
            self._execute(self._cursor, sql, params)


# The statements depend only on the database vendor and the column names: build each once.

@lru_cache(maxsize=None)
def _fields(model, names: tuple[str, ...]) -> list:
    return [model._meta.get_field(name) for name in names]


def _quote(vendor: str, name: str) -> str:
    return f"`{name}`" if vendor == "mysql" else f'"{name}"'


def _placeholder(vendor: str) -> str:
    return "?" if vendor == "sqlite" else "%s"  # sqlite3's qmark style; psycopg and PyMySQL: format


@lru_cache(maxsize=None)
def _lock_sql(vendor: str, for_update: bool) -> str:
    columns = ", ".join(_quote(vendor, f.column) for f in _fields(Job, _JOB_COLUMNS))
    sql = (f"SELECT {columns} FROM {_quote(vendor, Job._meta.db_table)} "
           f"WHERE {_quote(vendor, 'id')} = {_placeholder(vendor)}")
    return sql + " FOR UPDATE" if for_update else sql


@lru_cache(maxsize=None)
def _update_sql(vendor: str, names: tuple[str, ...]) -> str:
    mark = _placeholder(vendor)
    assignments = ", ".join(f"{_quote(vendor, f.column)} = {mark}" for f in _fields(Job, names))
    return f"UPDATE {_quote(vendor, Job._meta.db_table)} SET {assignments} WHERE {_quote(vendor, 'id')} = {mark}"


@lru_cache(maxsize=None)
def _insert_sql(vendor: str, names: tuple[str, ...]) -> str:
    columns = ", ".join(_quote(vendor, f.column) for f in _fields(Event, names))
    placeholders = ", ".join([_placeholder(vendor)] * len(names))
    return f"INSERT INTO {_quote(vendor, Event._meta.db_table)} ({columns}) VALUES ({placeholders})"
