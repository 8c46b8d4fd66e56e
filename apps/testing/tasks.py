"""Celery tasks of the testing app: only the nightly cleanup (runs are jobs of the core)."""
from __future__ import annotations

from celery import shared_task

from apps.testing import services


@shared_task(name="testing.cleanup_old_results", queue="maintenance")
def cleanup_old_results() -> dict[str, int]:
    """Delete finished runs older than TESTING_RESULT_RETENTION_DAYS (django-celery-beat, 02:00 daily)."""
    return services.cleanup_old_results()
