"""Celery tasks of the media app: a thin wrapper around the provider scanner."""
from __future__ import annotations

from celery import shared_task

from apps.media import providers


@shared_task(name="media.scan_provider_tasks")
def scan_provider_tasks() -> dict[str, int]:
    """Advance jobs waiting on external providers (django-celery-beat, every 15 s by default)."""
    return providers.provider_tasks_scan()

