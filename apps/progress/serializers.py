"""Response shapes of apps.progress: celery-progress's task JSON, documenting `payloads`' builders."""
from __future__ import annotations

from rest_framework import serializers

from project.openapi import enum_component

CeleryStateField = enum_component("CeleryProgressState",
                                  ["PENDING", "STARTED", "PROGRESS", "RETRY", "SUCCESS", "FAILURE", "REVOKED"])


class CeleryProgressMetaSerializer(serializers.Serializer):
    pending = serializers.BooleanField()
    current = serializers.FloatField()
    total = serializers.FloatField()
    percent = serializers.FloatField()
    description = serializers.CharField(required=False, allow_blank=True, help_text="Only while in PROGRESS.")


class CeleryProgressSerializer(serializers.Serializer):
    """celery-progress 0.5's `Progress.get_info()`: `result` once complete (the error message on FAILURE)."""

    state = CeleryStateField()
    complete = serializers.BooleanField()
    success = serializers.BooleanField(allow_null=True)
    progress = CeleryProgressMetaSerializer()
    result = serializers.JSONField(required=False, help_text="SUCCESS: the job's result; FAILURE: the message; "
                                                             "RETRY: next_retry_seconds and message.")
