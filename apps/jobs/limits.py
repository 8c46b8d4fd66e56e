"""Limits that are Django settings, read when they are used rather than when a module loads.

A serializer field's `max_value` or a kind's time limit written as `settings.X` is frozen at
import time, so `override_settings` (and a setting changed for one test or one process) would
not reach the validation, the schema at /api/kinds/ or the Celery limits. `Setting("X")` in
their place is read each time: serializers built on `StrictParams` resolve it in `get_fields()`
(every request builds its serializer), and `JobKind` resolves it in its limit properties.
"""
from __future__ import annotations

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


def _mentions_setting(field: serializers.Field) -> bool:
    for value in getattr(field, "_kwargs", {}).values():
        if isinstance(value, Setting):
            return True
        if isinstance(value, serializers.Field) and _mentions_setting(value):
            return True
    return False


def bind_settings(field: serializers.Field) -> serializers.Field:
    """`field`, rebuilt with every `Setting` in its arguments (or its child's) read now.

    DRF keeps each field's constructor arguments (`_args`, `_kwargs`) and rebuilds a field from
    them when it copies one; this does the same, with the settings' current values.
    """
    return _rebuild(field) if _mentions_setting(field) else field


def _rebuild(field: serializers.Field) -> serializers.Field:
    # A child field passed in is already bound to its parent: it must be rebuilt too.
    kwargs = {
        name: _rebuild(value) if isinstance(value, serializers.Field) else resolve(value)
        for name, value in field._kwargs.items()
    }
    return field.__class__(*field._args, **kwargs)
