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
from functools import lru_cache
from typing import Any

from django.db import connections
from django.db.models import CharField, FloatField, IntegerField, TextField

from apps.jobs.models import Event, Job
from apps.jobs.pk_lookup import convert_row, row_converters

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
    notify: bool
    started_at: datetime | None


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
        return LockedJob(pk, *convert_row(row, _lock_converters(self.connection), self.connection))

    def update_job(self, pk, changes: dict[str, Any]) -> None:
        names = tuple(changes)
        params = [self.prep(f, changes[name]) for name, f in zip(names, _fields(Job, names))]
        self._run(_update_sql(self.vendor, names), [*params, self.prep(Job._meta.pk, pk)])

    def insert_event(self, **values: Any) -> None:
        self.insert(Event, values)

    def insert(self, model, values: dict[str, Any]) -> None:
        """One row of `model` from field names and Python values (each prepared as the ORM would)."""
        names = tuple(values)
        self._run(_insert_sql(self.vendor, model, names),
                  [self.prep(f, values[name]) for name, f in zip(names, _fields(model, names))])

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


def _lock_converters(connection) -> list:
    """The database converters of the locked columns (a driver's 0/1 for `notify`, SQLite's text
    or MySQL's naive value for `started_at`), found once per connection alias."""
    found = _LOCK_CONVERTERS.get(connection.alias)
    if found is None:
        found = _LOCK_CONVERTERS[connection.alias] = row_converters(Job, _fields(Job, _JOB_COLUMNS), connection)
    return found


_LOCK_CONVERTERS: dict[str, list] = {}


@lru_cache(maxsize=None)
def _update_sql(vendor: str, names: tuple[str, ...]) -> str:
    mark = _placeholder(vendor)
    assignments = ", ".join(f"{_quote(vendor, f.column)} = {mark}" for f in _fields(Job, names))
    return f"UPDATE {_quote(vendor, Job._meta.db_table)} SET {assignments} WHERE {_quote(vendor, 'id')} = {mark}"


@lru_cache(maxsize=None)
def _insert_sql(vendor: str, model, names: tuple[str, ...]) -> str:
    columns = ", ".join(_quote(vendor, f.column) for f in _fields(model, names))
    placeholders = ", ".join([_placeholder(vendor)] * len(names))
    return f"INSERT INTO {_quote(vendor, model._meta.db_table)} ({columns}) VALUES ({placeholders})"
