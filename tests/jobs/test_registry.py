"""Kind registration refuses inconsistent limits and queue names a worker's -Q cannot hold."""
import pytest
from django.core.exceptions import ImproperlyConfigured

from apps.jobs import registry
from apps.jobs.kinds import TickerParams
from apps.jobs.params_schema import serializer_schema
from apps.jobs.registry import JobKind, PipelineStep


def _body(ctx, params):
    return {}


def test_ticker_is_registered_with_a_json_schema():
    kind = registry.get("jobs.ticker")
    assert kind.queue == "jobs"
    schema = serializer_schema(kind.params)
    assert schema["properties"]["steps"] == {
        "type": "integer", "title": "Steps", "minimum": 1, "maximum": 100000, "description": "How many progress steps to report.",
        "default": 10}
    assert schema["additionalProperties"] is False
    assert schema["properties"]["fail_at"]["nullable"] is True


def test_unknown_kind():
    with pytest.raises(registry.UnknownKind):
        registry.get("nope.nothing")


@pytest.mark.parametrize("kwargs, message", [
    ({"queue": "ocr,vision"}, "one word"),
    ({"soft_time_limit": 60, "time_limit": 30}, "soft time limit"),
    ({"soft_time_limit": 10, "time_limit": 10**7}, "CELERY_VISIBILITY_TIMEOUT"),
    ({"pipeline": (PipelineStep("a", _body),)}, "exactly one"),
])
def test_inconsistent_kinds_are_refused(kwargs, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        registry.register(JobKind(name="test.bad", title="bad", params=TickerParams, run=_body, **kwargs))


def test_the_same_name_twice_is_refused():
    with pytest.raises(ImproperlyConfigured, match="twice"):
        registry.register(JobKind(name="jobs.ticker", title="again", params=TickerParams, run=_body))


def test_backoff_is_exponential_and_capped():
    kind = JobKind(name="x", title="x", params=TickerParams, run=_body, retry_backoff=2, retry_backoff_max=10)
    assert [kind.retry_delay(n) for n in range(5)] == [2, 4, 8, 10, 10]
