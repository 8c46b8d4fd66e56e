"""One row by primary key (optionally only if a given owner's), with SQL written once per database.

The ORM compiles a queryset's SQL on every call: for `Job.objects.filter(owner=u, pk=x).first()`
that compilation was about 40% of the CPU of GET /api/jobs/<id>/ (docs/benchmarks.md, "HTTP
cost"). The hot reads use this instead; they get real model instances (`Model.from_db`, with
every field's database converters applied as `Model.objects.raw` applies them), deferred
relations load lazily as before. Not through `raw()` itself: its per-call setup (column
mapping, converters, init order) was most of what remained of the lookup's cost.
"""
from __future__ import annotations

from typing import Generic, TypeVar

from django.db import connections, router
from django.db.models import Model
from django.db.models.sql import Query

M = TypeVar("M", bound=Model)


class PkLookup(Generic[M]):
    """`model` by primary key, optionally restricted to rows whose `owner_field` is a given id."""

    def __init__(self, model: type[M], owner_field: str | None = None) -> None:
        self.model = model
        self.pk_field = model._meta.pk
        self.owner_field = model._meta.get_field(owner_field) if owner_field else None
        self._sql: dict[tuple[str, bool], str] = {}
        self._converters: dict[str, list] = {}

    def _statement(self, connection, with_owner: bool) -> str:
        key = (connection.alias, with_owner)
        sql = self._sql.get(key)
        if sql is None:
            quote = connection.ops.quote_name
            columns = ", ".join(quote(f.column) for f in self.model._meta.concrete_fields)
            where = f"{quote(self.pk_field.column)} = %s"
            if with_owner:
                where += f" AND {quote(self.owner_field.column)} = %s"
            sql = self._sql[key] = f"SELECT {columns} FROM {quote(self.model._meta.db_table)} WHERE {where}"
        return sql

    def _converters_for(self, connection) -> list:
        found = self._converters.get(connection.alias)
        if found is None:
            found = self._converters[connection.alias] = row_converters(
                self.model, self.model._meta.concrete_fields, connection)
        return found

    def _in_range(self, value: int, connection) -> bool:
        low, high = connection.ops.integer_field_range(self.pk_field.get_internal_type())
        return (low is None or value >= low) and (high is None or value <= high)

    def get(self, pk, owner_id=None) -> M | None:
        """The row with this primary key (and this owner, unless owner_id is None), or None."""
        alias = router.db_for_read(self.model)
        connection = connections[alias]
        pk = self.pk_field.to_python(pk)
        if isinstance(pk, int) and not self._in_range(pk, connection):
            return None  # no such row, as the ORM answers (a driver would raise)
        params = [self.pk_field.get_db_prep_value(pk, connection)]
        if owner_id is not None:
            assert self.owner_field is not None, "this lookup has no owner field"
            params.append(self.owner_field.get_db_prep_value(owner_id, connection))
        with connection.cursor() as cursor:
            cursor.execute(self._statement(connection, owner_id is not None), params)
            row = cursor.fetchone()
        if row is None:
            return None
        return self.model.from_db(alias, None, convert_row(row, self._converters_for(connection), connection))


def row_converters(model: type[Model], fields, connection) -> list:
    """(position, converters, column) per field of a row selected in `fields`' order that has
    database converters (the backend's and the field's), as RawModelIterable finds them."""
    compiler = connection.ops.compiler("SQLCompiler")(Query(model), connection, connection.alias)
    columns = [f.get_col(model._meta.db_table) for f in fields]
    return [(position, converters, column)
            for position, (converters, column) in compiler.get_converters(columns).items()]


def convert_row(row, converters: list, connection) -> list:
    """The row's values as the ORM would give them (aware datetimes, booleans, JSON, UUIDs)."""
    values = list(row)
    for position, functions, column in converters:
        for function in functions:
            values[position] = function(values[position], column, connection)
    return values
