"""The provider scanner's beat entry, kept in django-celery-beat's tables by a post_migrate hook.

A hook (not a data migration) so a changed MEDIA_PROVIDER_SCAN_INTERVAL_S takes effect at the
next `migrate` instead of being frozen into a migration.
"""
from __future__ import annotations

SCAN_TASK_NAME = "media.scan_provider_tasks"


def provider_scan_schedule_ensure(**kwargs) -> None:
    """Create or update the PeriodicTask running the scanner every MEDIA_PROVIDER_SCAN_INTERVAL_S."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    from apps.media import conf

    every = max(1, int(round(conf.PROVIDER_SCAN_INTERVAL_S)))
    interval, _ = IntervalSchedule.objects.get_or_create(every=every, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.update_or_create(
        name=SCAN_TASK_NAME,
        defaults={"task": SCAN_TASK_NAME, "interval": interval, "queue": "media", "enabled": True,
                  "description": "Poll external generation providers and finish the jobs waiting on them."},
    )
