"""Base class for job-kind params serializers."""
from __future__ import annotations

from django.utils.translation import gettext
from rest_framework import serializers


class StrictParams(serializers.Serializer):
    """A params serializer that refuses unknown keys (a typo must not pass silently)."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({key: [gettext("unknown parameter")] for key in unknown})
        return super().to_internal_value(data)
