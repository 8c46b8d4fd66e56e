"""Base class for job-kind params serializers."""
from __future__ import annotations

from django.utils.translation import gettext
from rest_framework import serializers

from apps.jobs.limits import fresh_fields


class StrictParams(serializers.Serializer):
    """A params serializer that refuses unknown keys (a typo must not pass silently).

    `exactly_one_of` names fields of which a request must give exactly one; the JSON Schema at
    /api/kinds/ says so with `oneOf` and the form follows it. A field whose `style` has
    `"diagnostics": True` is fault injection for staff: hidden from other users' schema and form.
    A field argument given as `apps.jobs.limits.Setting("NAME")` is read from the settings each
    time the serializer is built (so `override_settings` reaches validation and the schema).
    """

    exactly_one_of: tuple[str, ...] = ()

    def get_fields(self):
        return fresh_fields(self._declared_fields)

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({key: [gettext("unknown parameter")] for key in unknown})
        value = super().to_internal_value(data)
        if self.exactly_one_of and sum(name in value for name in self.exactly_one_of) != 1:
            names = " or ".join(self.exactly_one_of)
            raise serializers.ValidationError({self.exactly_one_of[0]: [gettext("give exactly one of %(names)s") % {"names": names}]})
        return value
