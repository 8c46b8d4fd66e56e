"""Wire shapes of the jobs API (CONTRACT.md): Job, Event, kinds, and the create request."""
from __future__ import annotations

from typing import Any

from rest_framework import serializers

from apps.jobs import registry, states
from apps.jobs.events import event_payload, format_ts
from apps.jobs.models import Event, Job
from apps.jobs.params_schema import serializer_schema


def job_payload(job: Job) -> dict[str, Any]:
    """The Job object of CONTRACT.md (also used for WebSocket snapshots)."""
    data: dict[str, Any] = {
        "id": str(job.id),
        "kind": job.kind,
        "status": job.status,
        "stage": job.stage,
        "progress": job.progress,
        "message": job.message,
        "params": params_for_display(job.params),
        "attempt": job.attempt,
        "priority": job.priority,
        "queue": job.queue,
        "notify": job.notify,
        "task_id": job.task_id,
        "seq": job.seq,
        "created_at": _ts(job.created_at),
        "started_at": _ts(job.started_at),
        "finished_at": _ts(job.finished_at),
        "updated_at": _ts(job.updated_at),
        "links": {
            "self": f"/api/jobs/{job.id}/",
            "events": f"/api/jobs/{job.id}/events/",
            "ws": f"/ws/jobs/{job.id}/",
        },
    }
    if job.status == states.SUCCESS:
        data["result"] = job.result
    if job.status == states.FAILURE:
        data["error"] = job.error
    return data


# Params can carry a whole upload (a base64 image of up to JOBS_MAX_BODY_BYTES); lists, feeds and
# snapshots must stay small, so long strings are replaced by a note of their size.
PARAM_DISPLAY_MAX_CHARS = 2048


def params_for_display(value: Any) -> Any:
    """The job's params with strings over PARAM_DISPLAY_MAX_CHARS elided (they stay stored)."""
    if isinstance(value, str) and len(value) > PARAM_DISPLAY_MAX_CHARS:
        return f"<{len(value)} characters elided>"
    if isinstance(value, dict):
        return {k: params_for_display(v) for k, v in value.items()}
    if isinstance(value, list):
        return [params_for_display(v) for v in value]
    return value


def _ts(value) -> str | None:
    return format_ts(value) if value else None


class JobSerializer(serializers.BaseSerializer):
    """Read-only Job; see `job_payload`."""

    def to_representation(self, instance: Job) -> dict[str, Any]:
        return job_payload(instance)


class EventSerializer(serializers.BaseSerializer):
    def to_representation(self, instance: Event) -> dict[str, Any]:
        return event_payload(instance)


class JobCreateSerializer(serializers.Serializer):
    """`{"kind", "params", "priority"?}`; params are validated by the kind's own serializer."""

    kind = serializers.CharField(max_length=100)
    params = serializers.DictField(required=False, default=dict)
    priority = serializers.IntegerField(min_value=0, max_value=9, required=False, default=5)
    notify = serializers.BooleanField(required=False, default=False)

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({key: ["unknown field"] for key in unknown})
        return super().to_internal_value(data)

    def validate_kind(self, value: str) -> str:
        try:
            if registry.get(value).internal:  # created by code only: refused like an unknown kind
                raise registry.UnknownKind(value)
        except registry.UnknownKind:
            known = ", ".join(k.name for k in registry.all_kinds())
            raise serializers.ValidationError(f"unknown job kind {value!r}; known kinds: {known}") from None
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        kind = registry.get(attrs["kind"])
        params = kind.params(data=attrs.get("params") or {}, context=self.context)
        if not params.is_valid():
            raise serializers.ValidationError({"params": params.errors})
        attrs["params"] = _jsonable(params.validated_data)
        return attrs


def _jsonable(value: Any) -> Any:
    """Validated data may hold OrderedDicts, Decimals or dates; store plain JSON."""
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


class KindSerializer(serializers.Serializer):
    """A registered kind as `/api/kinds/` lists it; also the schema drf-spectacular documents."""

    kind = serializers.CharField(source="name")
    title = serializers.CharField()
    description = serializers.CharField()
    queue = serializers.CharField()
    params_schema = serializers.SerializerMethodField(help_text="JSON Schema of the kind's params")

    def get_params_schema(self, kind: registry.JobKind) -> dict[str, Any]:
        return serializer_schema(kind.params)
