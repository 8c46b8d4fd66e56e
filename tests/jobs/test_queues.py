"""The queue list is derived from the registered kinds (and routed/scheduled tasks), not kept by hand."""
from django.conf import settings

from apps.jobs import registry
from apps.jobs.kinds import TickerParams
from apps.jobs.queues import queue_names
from apps.jobs.registry import JobKind
from project.celery import app


def _body(ctx, params):
    return {}


def test_every_kind_and_every_routed_task_has_its_queue_declared():
    kinds = {kind.queue for kind in registry.all_kinds()}
    assert kinds >= {"jobs", "ocr", "vision", "media", "media.audio", "media.video", "files", "testing"}
    assert set(settings.JOBS_QUEUES) == kinds | {"maintenance", "email"}
    assert set(app.amqp.queues) == set(settings.JOBS_QUEUES)  # what a worker without -Q consumes
    assert app.amqp.queues["ocr"].routing_key == "ocr"


def test_a_new_kinds_queue_joins_the_list():
    kind = JobKind(name="test.elsewhere", title="elsewhere", params=TickerParams, run=_body, queue="elsewhere")
    assert "elsewhere" not in queue_names()
    registry.register(kind)
    try:
        assert "elsewhere" in queue_names() and "elsewhere" in settings.JOBS_QUEUES
    finally:
        registry._KINDS.pop(kind.name)
