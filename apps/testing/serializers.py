"""Request and response shapes of the web-test and load-test API (docs/api.md), and job params."""
from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.jobs import states
from apps.jobs.limits import Setting
from apps.jobs.params import StrictParams
from apps.jobs.serializers import JobErrorSerializer, JobStatusField, documents_result
from apps.testing.models import PerfScenario, PerfTestRun, WebTestRun, WebTestScript
from apps.testing.selectors import scenarios_visible_to, scripts_visible_to
from apps.testing.targets import TargetRefused, check_target
from project.openapi import enum_component

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
_RUN_TIME = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")


def validate_base_url(value: str) -> str:
    """A 400 naming base_url unless TESTING_ALLOWED_TARGETS allows it."""
    try:
        return check_target(value)
    except TargetRefused as exc:
        raise serializers.ValidationError(str(exc)) from None


def validate_path(value: str) -> str:
    if not value.startswith("/") or value.startswith("//"):
        raise serializers.ValidationError(gettext("must start with a single '/' (it is appended to base_url)"))
    return value


def parse_run_time(value: Any) -> int:
    """Seconds from an integer or Locust's form ("30s", "2m", "1h30m")."""
    if isinstance(value, bool):
        raise serializers.ValidationError(gettext("must be seconds (an integer) or like '30s', '2m', '1h30m'"))
    if isinstance(value, int):
        seconds = value
    elif isinstance(value, str) and value.strip().isdigit():
        seconds = int(value.strip())
    elif isinstance(value, str) and value.strip() and (match := _RUN_TIME.match(value.strip().lower())):
        h, m, s = (int(g or 0) for g in match.groups())
        seconds = h * 3600 + m * 60 + s
    else:
        raise serializers.ValidationError(gettext("must be seconds (an integer) or like '30s', '2m', '1h30m'"))
    if seconds < 1:
        raise serializers.ValidationError(gettext("must be at least 1 second"))
    if seconds > settings.TESTING_MAX_RUN_TIME_S:
        raise serializers.ValidationError(
            gettext("must be at most %(n)s seconds (TESTING_MAX_RUN_TIME_S)") % {"n": settings.TESTING_MAX_RUN_TIME_S})
    return seconds


_RUN_TIME_SCHEMA = {"oneOf": [{"type": "integer", "minimum": 1},
                             {"type": "string", "pattern": r"^(\d+h)?(\d+m)?(\d+s)?$"}]}


@extend_schema_field(_RUN_TIME_SCHEMA)
class RunTimeField(serializers.Field):
    """`run_time`: seconds or Locust's "30s"/"2m"; stored as seconds."""

    # What /api/kinds/ says of it (params_schema.field_schema reads this); the form shows a text input.
    json_schema = {**_RUN_TIME_SCHEMA, "x-widget": "text"}

    def to_internal_value(self, data: Any) -> int:
        return parse_run_time(data)

    def to_representation(self, value: int) -> int:
        return value


# --- web-test scripts -------------------------------------------------------------------------

class ExpectSerializer(StrictParams):
    status = serializers.IntegerField(min_value=100, max_value=599, required=False)
    headers = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)
    body_contains = serializers.CharField(required=False, trim_whitespace=False)
    json = serializers.DictField(child=serializers.JSONField(), required=False)


class StepSerializer(StrictParams):
    name = serializers.CharField(max_length=200)
    method = serializers.ChoiceField(choices=METHODS, default="GET")
    path = serializers.CharField(max_length=2000, validators=[validate_path])
    headers = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)
    query = serializers.DictField(child=serializers.JSONField(), required=False)
    json = serializers.JSONField(required=False)
    form = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)
    timeout_s = serializers.FloatField(min_value=0.1, max_value=Setting("TESTING_MAX_STEP_TIMEOUT_S"),
                                       default=Setting("TESTING_DEFAULT_STEP_TIMEOUT_S"))
    expect = ExpectSerializer(required=False)
    extract = serializers.DictField(child=serializers.CharField(), required=False)

    def to_internal_value(self, data):
        if isinstance(data, dict) and isinstance(data.get("method"), str):
            data = {**data, "method": data["method"].upper()}
        return super().to_internal_value(data)

    def validate(self, attrs):
        if "json" in attrs and "form" in attrs:
            raise serializers.ValidationError({"form": [gettext("give either json or form, not both")]})
        for name in attrs.get("extract") or {}:
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                raise serializers.ValidationError({"extract": [gettext("%(name)r is not a valid variable name") % {"name": name}]})
        return attrs


class ScriptSerializer(StrictParams):
    """`POST/PUT /api/v1/web-test/scripts/` body; partial for PATCH."""

    name = serializers.CharField(max_length=200)
    base_url = serializers.CharField(max_length=500, validators=[validate_base_url])
    steps = serializers.ListField(child=StepSerializer(), min_length=1, max_length=Setting("TESTING_MAX_STEPS"))


def script_payload(script: WebTestScript) -> dict[str, Any]:
    return {"id": script.pk, "name": script.name, "base_url": script.base_url, "steps": script.steps,
            "created_at": script.created_at.isoformat(), "updated_at": script.updated_at.isoformat()}


# --- load-test scenarios ----------------------------------------------------------------------

class PerfRequestSerializer(StrictParams):
    name = serializers.CharField(max_length=200)
    method = serializers.ChoiceField(choices=METHODS, default="GET")
    path = serializers.CharField(max_length=2000, validators=[validate_path])
    weight = serializers.IntegerField(min_value=1, max_value=1000, default=1)
    headers = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)
    json = serializers.JSONField(required=False)

    def to_internal_value(self, data):
        if isinstance(data, dict) and isinstance(data.get("method"), str):
            data = {**data, "method": data["method"].upper()}
        return super().to_internal_value(data)


class ScenarioSerializer(StrictParams):
    """`POST/PUT /api/v1/perf-test/scenarios/` body; partial for PATCH."""

    name = serializers.CharField(max_length=200)
    base_url = serializers.CharField(max_length=500, validators=[validate_base_url])
    requests = serializers.ListField(child=PerfRequestSerializer(), min_length=1,
                                     max_length=Setting("TESTING_MAX_REQUESTS_PER_SCENARIO"))
    think_time_ms = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=Setting("TESTING_MAX_THINK_TIME_MS")),
        min_length=2, max_length=2, default=[0, 0],
        help_text=_("[min, max] pause between one user's requests, milliseconds"))

    def validate_think_time_ms(self, value):
        if value[0] > value[1]:
            raise serializers.ValidationError(gettext("min must not be greater than max"))
        return value


def scenario_payload(scenario: PerfScenario) -> dict[str, Any]:
    return {"id": scenario.pk, "name": scenario.name, "base_url": scenario.base_url,
            "requests": scenario.requests, "think_time_ms": scenario.think_time_ms,
            "created_at": scenario.created_at.isoformat(), "updated_at": scenario.updated_at.isoformat()}


# --- runs ---------------------------------------------------------------------------------------

class LoadShape(StrictParams):
    """The Locust parameters users know, each capped by a setting."""

    user_count = serializers.IntegerField(min_value=1, max_value=Setting("TESTING_MAX_USER_COUNT"))
    spawn_rate = serializers.FloatField(min_value=0.01, max_value=Setting("TESTING_MAX_SPAWN_RATE"))
    run_time = RunTimeField(help_text=_('seconds, or Locust\'s form ("30s", "2m", "1h30m")'))


class WebRunRequest(StrictParams):
    priority = serializers.IntegerField(min_value=0, max_value=9, default=5)


class PerfRunRequest(LoadShape):
    priority = serializers.IntegerField(min_value=0, max_value=9, default=5)


# Whole sentences per target, so each translates as a sentence (issue 17).
_NO_SUCH = {"script": gettext_noop("no such script"), "scenario": gettext_noop("no such scenario")}
_REFUSED = {"script": gettext_noop("the script's base_url is refused: %(reason)s"),
            "scenario": gettext_noop("the scenario's base_url is refused: %(reason)s")}


def _runnable(serializer: serializers.Serializer, visible_to, model, pk: int, what: str) -> int:
    """`pk` names a script/scenario the requesting user may see, whose base_url is still allowed."""
    request = serializer.context.get("request")
    target = (visible_to(request.user) if request else model.objects.all()).filter(pk=pk).first()
    if target is None:
        raise serializers.ValidationError(gettext(_NO_SUCH[what]))
    try:
        check_target(target.base_url)
    except TargetRefused as exc:
        raise serializers.ValidationError(gettext(_REFUSED[what]) % {"reason": exc}) from None
    return pk


class WebTestParams(StrictParams):
    """Params of `testing.web` (also when submitted through POST /api/jobs/)."""

    script_id = serializers.IntegerField(min_value=1)

    def validate_script_id(self, value: int) -> int:
        return _runnable(self, scripts_visible_to, WebTestScript, value, "script")


class PerfTestParams(LoadShape):
    """Params of `testing.perf`: the scenario and the load shape."""

    scenario_id = serializers.IntegerField(min_value=1)

    def validate_scenario_id(self, value: int) -> int:
        return _runnable(self, scenarios_visible_to, PerfScenario, value, "scenario")


def run_status_payload(run: WebTestRun | PerfTestRun) -> dict[str, Any]:
    """`…/status`: the run, its job's status and progress, and its (possibly partial) result."""
    job = run.job
    data = {"run_id": run.pk, "job_id": str(job.pk), "status": job.status, "progress": job.progress,
            "result": run.result}
    if job.status == states.FAILURE:
        data["error"] = job.error
    return data



def _run_item(run: WebTestRun | PerfTestRun) -> dict[str, Any]:
    job = run.job
    data = {"run_id": run.pk, "job_id": str(job.pk), "status": job.status, "progress": job.progress,
            "created_at": run.created_at.isoformat(),
            "finished_at": job.finished_at.isoformat() if job.finished_at else None}
    if job.status == states.FAILURE:
        data["error"] = job.error
    return data


def web_run_item_payload(run: WebTestRun) -> dict[str, Any]:
    """`…/runs/` of a script: one run and its verdict (the steps are on the job page)."""
    result = run.result or {}
    return {**_run_item(run), "passed": result.get("passed"), "failed": result.get("failed"),
            "total": result.get("total", len(result["steps"]) if "steps" in result else None)}


def perf_run_item_payload(run: PerfTestRun) -> dict[str, Any]:
    """`…/runs/` of a scenario: one run, its load shape and its totals (the chart is on the job page)."""
    result = run.result or {}
    return {**_run_item(run), "user_count": run.user_count, "spawn_rate": run.spawn_rate,
            "run_time_s": run.run_time_s, "state": result.get("state"), "stats": result.get("stats")}

# --- response shapes (documenting the payload builders above and the runs' results) -----------

class StoredScriptSerializer(serializers.Serializer):
    """`script_payload`: a stored script, its steps as validated (defaults filled in)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    base_url = serializers.CharField()
    steps = StepSerializer(many=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class StoredScenarioSerializer(serializers.Serializer):
    """`scenario_payload`: a stored scenario."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    base_url = serializers.CharField()
    requests = PerfRequestSerializer(many=True)
    think_time_ms = serializers.ListField(child=serializers.IntegerField(min_value=0), min_length=2, max_length=2)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class RunStartedSerializer(serializers.Serializer):
    """`…/run` answers 202 with the run and the job running it."""

    run_id = serializers.IntegerField()
    job_id = serializers.UUIDField()
    status = JobStatusField()


class StepOutcomeSerializer(serializers.Serializer):
    """One step of a web-test run, as judged."""

    name = serializers.CharField()
    passed = serializers.BooleanField()
    status_code = serializers.IntegerField(allow_null=True)
    elapsed_ms = serializers.FloatField(allow_null=True)
    error = serializers.CharField(allow_null=True, allow_blank=True)
    failures = serializers.ListField(child=serializers.CharField(), required=False)
    request = serializers.DictField(required=False, help_text="method and url as sent")
    response = serializers.DictField(required=False, allow_null=True,
                                     help_text="content_type, bytes and the start of the body")
    extracted = serializers.DictField(required=False, help_text="variables this step extracted")


@documents_result("testing.web")
class WebTestResultSerializer(serializers.Serializer):
    """A web-test run's result: steps so far while it runs, all of them at the end."""

    passed = serializers.IntegerField(min_value=0)
    failed = serializers.IntegerField(min_value=0)
    total = serializers.IntegerField(min_value=0, required=False, help_text="Steps in the script.")
    steps = StepOutcomeSerializer(many=True)


class LoadStatsSerializer(serializers.Serializer):
    """The run's totals; latencies are null until a request has answered."""

    requests = serializers.IntegerField(min_value=0)
    failures = serializers.IntegerField(min_value=0)
    rps = serializers.FloatField()
    fail_ratio = serializers.FloatField(required=False)
    p50_ms = serializers.FloatField(allow_null=True)
    p95_ms = serializers.FloatField(allow_null=True)
    p99_ms = serializers.FloatField(allow_null=True)
    avg_ms = serializers.FloatField(allow_null=True, required=False)
    min_ms = serializers.FloatField(allow_null=True, required=False)
    max_ms = serializers.FloatField(allow_null=True, required=False)


LoadTestStateField = enum_component("LoadTestState", ["running", "finished", "stopped", "failed"])


@documents_result("testing.perf")
class LoadTestResultSerializer(serializers.Serializer):
    """A load-test run's result: live while it runs, kept after a stop (`state` says which)."""

    state = LoadTestStateField(required=False)
    elapsed_s = serializers.FloatField(required=False)
    users = serializers.IntegerField(required=False, help_text="Users running now.")
    ended_at = serializers.DateTimeField(allow_null=True, required=False)
    stats = LoadStatsSerializer()
    series = serializers.ListField(child=serializers.DictField(), help_text=(
        "One point per second: t, users, requests, failures, rps, fps, p50_ms, p95_ms, p99_ms."))
    table = serializers.ListField(child=serializers.DictField(), required=False,
                                  help_text="Per request name, like Locust's statistics table.")
    errors = serializers.DictField(child=serializers.IntegerField(), required=False,
                                   help_text="The most common errors and their counts.")


class WebRunStatusSerializer(serializers.Serializer):
    """`run_status_payload` of a web-test run."""

    run_id = serializers.IntegerField()
    job_id = serializers.UUIDField()
    status = JobStatusField()
    progress = serializers.FloatField(min_value=0, max_value=100)
    result = WebTestResultSerializer(allow_null=True)
    error = JobErrorSerializer(required=False, allow_null=True, help_text="Only on `failure`.")


class PerfRunStatusSerializer(WebRunStatusSerializer):
    """`run_status_payload` of a load-test run."""

    result = LoadTestResultSerializer(allow_null=True)


class _RunItemSerializer(serializers.Serializer):
    run_id = serializers.IntegerField()
    job_id = serializers.UUIDField()
    status = JobStatusField()
    progress = serializers.FloatField(min_value=0, max_value=100)
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    error = JobErrorSerializer(required=False, allow_null=True, help_text="Only on `failure`.")


class WebRunItemSerializer(_RunItemSerializer):
    """`web_run_item_payload`: null counts until the run has judged a step."""

    passed = serializers.IntegerField(min_value=0, allow_null=True)
    failed = serializers.IntegerField(min_value=0, allow_null=True)
    total = serializers.IntegerField(min_value=0, allow_null=True)


class PerfRunItemSerializer(_RunItemSerializer):
    """`perf_run_item_payload`: `stats` null until the first second's figures."""

    user_count = serializers.IntegerField(min_value=1)
    spawn_rate = serializers.FloatField()
    run_time_s = serializers.IntegerField(min_value=1)
    state = LoadTestStateField(required=False, allow_null=True)
    stats = LoadStatsSerializer(allow_null=True)
