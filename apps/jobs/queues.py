"""The queues Jobcast uses, derived from what is registered instead of a hand-kept list."""
from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.core.exceptions import AppRegistryNotReady

from apps.jobs import registry


def queue_names() -> list[str]:
    """Each kind's queue, each routed or scheduled task's queue, and the default queue."""
    if not apps.ready:  # kinds register in AppConfig.ready(): earlier, the list would be short
        raise AppRegistryNotReady("the queue list is read from the kind registry: call django.setup() first")
    names = {kind.queue for kind in registry.all_kinds()}
    names |= {route["queue"] for route in settings.CELERY_TASK_ROUTES.values() if "queue" in route}
    names |= {entry["options"]["queue"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
              if "queue" in entry.get("options", {})}
    names.add(settings.CELERY_TASK_DEFAULT_QUEUE)
    return sorted(names)


AMQP_SCHEMES = ("amqp://", "amqps://", "pyamqp://")


def broker_is_amqp(url: str | None = None) -> bool:
    """True for RabbitMQ (amqp://): priorities, queue lengths and purging work differently there."""
    return (settings.CELERY_BROKER_URL if url is None else url or "").startswith(AMQP_SCHEMES)
