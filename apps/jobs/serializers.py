"""Wire shapes of the jobs API (docs/api.md): Job, Event, kinds, and the create request."""
from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

from apps.jobs import registry, states, workers
from apps.jobs.events import event_payload, format_ts
from apps.jobs.limits import fresh_fields
from apps.jobs.models import Event, Job
from apps.jobs.params_schema import serializer_schema, without_diagnostics
from project.openapi import enum_component


def job_payload(job: Job) -> dict[str, Any]:
    """The Job object of docs/api.md (also used for WebSocket snapshots)."""
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
    warnings = workers.queue_warnings(status=job.status, queue=job.queue)
    if warnings:
        data["warnings"] = warnings
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


JobStatusField = enum_component("JobStatus", states.STATUSES)
EventTypeField = enum_component("EventType", states.EVENT_TYPES)
EventMessageTypeField = enum_component("EventMessageType", ["event"])

# Results of each kind, as documented by the app that owns the kind (see `documents_result`).
_RESULT_SERIALIZERS: dict[str, type[serializers.Serializer]] = {}


def documents_result(kind: str):
    """Class decorator: the serializer documents `result` of `kind`'s jobs in the OpenAPI schema."""
    def register(serializer_class: type[serializers.Serializer]) -> type[serializers.Serializer]:
        _RESULT_SERIALIZERS[kind] = serializer_class
        return serializer_class
    return register


def result_serializers() -> dict[str, type[serializers.Serializer]]:
    """Kind name -> the serializer documenting its result, in registration order."""
    return dict(_RESULT_SERIALIZERS)


class JobResultField(serializers.JSONField):
    """`result`: what the kind returned; documented as any of the registered result shapes."""


class JobResultFieldSchema(OpenApiSerializerFieldExtension):
    """In the OpenAPI schema `result` is any of the documented kinds' results, or any JSON for other kinds."""

    target_class = JobResultField

    def map_serializer_field(self, auto_schema, direction) -> dict[str, Any]:
        documented = result_serializers()
        shapes = {kind: auto_schema.resolve_serializer(serializer, direction).ref
                  for kind, serializer in documented.items()}
        by_kind = "; ".join(f"`{kind}`: {ref['$ref'].rsplit('/', 1)[-1]}" for kind, ref in shapes.items())
        return {"anyOf": [*shapes.values(), {"description": "Any JSON: the result of a kind not listed."}],
                "description": f"Only on `success`: what the kind returned. By kind: {by_kind}."}


@documents_result("jobs.ticker")
class TickerResultSerializer(serializers.Serializer):
    steps = serializers.IntegerField()
    elapsed_s = serializers.FloatField()
    mode = serializers.CharField(required=False, help_text='"async", only for the coroutine flavour.')


class JobErrorSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="The exception's class name, e.g. ValueError or WorkerLost.")
    message = serializers.CharField(allow_blank=True)
    traceback = serializers.CharField(required=False, help_text="The end of the Python traceback, if one was raised.")


class JobLinksSerializer(serializers.Serializer):
    self = serializers.CharField(help_text="/api/jobs/<id>/")
    events = serializers.CharField(help_text="/api/jobs/<id>/events/")
    ws = serializers.CharField(help_text="/ws/jobs/<id>/ (WebSocket)")


class JobSerializer(serializers.Serializer):
    """A job (docs/api.md): its fields document `job_payload`, which renders it (one builder for REST and WebSocket)."""

    id = serializers.UUIDField()
    kind = serializers.CharField()
    status = JobStatusField()
    stage = serializers.CharField(allow_blank=True)
    progress = serializers.FloatField(min_value=0, max_value=100)
    message = serializers.CharField(allow_blank=True)
    params = serializers.DictField(help_text=f"The validated params; strings over {PARAM_DISPLAY_MAX_CHARS} "
                                             "characters read `<N characters elided>`.")
    result = JobResultField(required=False, allow_null=True)
    error = JobErrorSerializer(required=False, allow_null=True, help_text="Only on `failure`.")
    attempt = serializers.IntegerField(min_value=1)
    priority = serializers.IntegerField(min_value=0, max_value=9)
    queue = serializers.CharField()
    notify = serializers.BooleanField(help_text="E-mail the owner when the job finishes.")
    task_id = serializers.CharField(allow_null=True, help_text="The Celery task id of the current attempt "
                                                              "(null before it is sent).")
    seq = serializers.IntegerField(min_value=0, help_text="The seq of the job's latest event.")
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()
    links = JobLinksSerializer()
    warnings = serializers.ListField(
        child=serializers.CharField(), required=False,
        help_text='Only while pending and nothing will run it: "no worker listens on queue media.video".')

    def to_representation(self, instance: Job) -> dict[str, Any]:
        return job_payload(instance)


class EventSerializer(serializers.Serializer):
    """A stored event (docs/api.md); rendered by `events.event_payload`, the builder the event path pushes."""

    type = EventMessageTypeField()
    job_id = serializers.UUIDField()
    seq = serializers.IntegerField(min_value=1)
    event = EventTypeField()
    status = JobStatusField(help_text="The job's status after this event.")
    stage = serializers.CharField(allow_blank=True)
    progress = serializers.FloatField(min_value=0, max_value=100)
    message = serializers.CharField(allow_blank=True)
    data = serializers.DictField(help_text="The event's own fields (e.g. a progress call's keyword arguments).")
    ts = serializers.DateTimeField(help_text="When the event was emitted: UTC, six fractional digits.")

    def to_representation(self, instance: Event) -> dict[str, Any]:
        return event_payload(instance)


class JobEventsPageSerializer(serializers.Serializer):
    """`GET /api/jobs/<id>/events/`: the stored events after `after`, and the job's latest seq."""

    events = EventSerializer(many=True)
    seq = serializers.IntegerField(min_value=0)


class ErrorDetailSerializer(serializers.Serializer):
    """DRF's error body: `{"detail": "..."}`."""

    detail = serializers.CharField()


class HealthSerializer(serializers.Serializer):
    """`GET /api/health/`: each part `"ok"` or an error string (503 when any is not ok)."""

    database = serializers.CharField()
    broker = serializers.CharField()
    channel_layer = serializers.CharField()
    workers = serializers.CharField(help_text='"ok" also when CELERY_ENABLED=false (no workers needed).')


class JobCreateSerializer(serializers.Serializer):
    """`{"kind", "params", "priority"?}`; params are validated by the kind's own serializer."""

    kind = serializers.CharField(max_length=100)
    params = serializers.DictField(required=False, default=dict)
    priority = serializers.IntegerField(min_value=0, max_value=9, required=False, default=5)
    notify = serializers.BooleanField(required=False, default=False)

    def get_fields(self):
        return fresh_fields(self._declared_fields)  # DRF's deep copy, without its cost (limits.fresh_field)

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({key: [gettext("unknown field")] for key in unknown})
        return super().to_internal_value(data)

    def validate_kind(self, value: str) -> str:
        try:
            registry.get(value)
        except registry.UnknownKind:
            known = ", ".join(k.name for k in registry.all_kinds())
            raise serializers.ValidationError(
                gettext("unknown job kind %(kind)r; known kinds: %(known)s") % {"kind": value, "known": known}) from None
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
    example = serializers.SerializerMethodField(
        help_text='What the form\'s "Example" button fills in: {"params": {…}} that run as they are, optionally '
                  'with {"create": {"url", "body", "param"}} (POST body to url, put the new id into param).')

    def _user(self):
        request = self.context.get("request")
        return getattr(request, "user", None)

    def get_params_schema(self, kind: registry.JobKind) -> dict[str, Any]:
        schema = serializer_schema(kind.params)
        user = self._user()
        return schema if getattr(user, "is_staff", False) else without_diagnostics(schema)

    def get_example(self, kind: registry.JobKind) -> dict[str, Any] | None:
        return kind.example_for(self._user())
