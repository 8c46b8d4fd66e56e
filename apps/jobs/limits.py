"""Limits that are Django settings, read when they are used rather than when a module loads.

A serializer field's `max_value` or a kind's time limit written as `settings.X` is frozen at
import time, so `override_settings` (and a setting changed for one test or one process) would
not reach the validation, the schema at /api/kinds/ or the Celery limits. `Setting("X")` in
their place is read each time: serializers built on `StrictParams` resolve it in `get_fields()`
(every request builds its serializer), and `JobKind` resolves it in its limit properties.
"""
from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from rest_framework import serializers


@dataclass(frozen=True)
class Setting:
    """A value taken from `django.conf.settings` when read: a setting's name, or a function of
    the settings for a derived value (`Setting(lambda s: s.A + 60)`)."""

    source: str | Callable[[Any], Any]

    def read(self) -> Any:
        return self.source(settings) if callable(self.source) else getattr(settings, self.source)


def resolve(value: Any) -> Any:
    """`value` itself, or the setting's current value if it is a `Setting`."""
    return value.read() if isinstance(value, Setting) else value


def fresh_fields(declared: dict[str, serializers.Field]) -> dict[str, serializers.Field]:
    """What DRF's `Serializer.get_fields` returns (a new instance of each declared field), cheaper."""
    return {name: fresh_field(field) for name, field in declared.items()}


def fresh_field(field: serializers.Field) -> serializers.Field:
    """A new instance of `field` built from its constructor arguments, every `Setting` read now.

    DRF copies a declared field the same way (`Field.__deepcopy__`: `_args`, `_kwargs`) but
    deep-copies every argument first, lazy help texts and all: that was half of validating a
    POST /api/jobs/ (docs/benchmarks.md, "Second round"). Here only mutable containers are
    copied (a shared `default=[]` must not leak between requests); a child field is rebuilt,
    since building a field binds its child to it.
    """
    args = [_fresh_argument(None, value) for value in field._args]
    kwargs = {name: _fresh_argument(name, value) for name, value in field._kwargs.items()}
    return field.__class__(*args, **kwargs)


def _fresh_argument(name: str | None, value: Any) -> Any:
    if isinstance(value, serializers.Field):
        return fresh_field(value)
    if isinstance(value, Setting):
        return value.read()
    if name not in ("validators", "regex") and isinstance(value, (list, dict, set)):
        return copy.deepcopy(value)  # DRF treats validators and regexes as immutable too
    return value
