"""The scanner's beat entry exists after migrate (django-celery-beat DatabaseScheduler reads it)."""
import pytest
from django_celery_beat.models import PeriodicTask

from apps.media import conf
from apps.media.schedule import provider_scan_schedule_ensure

pytestmark = pytest.mark.django_db


def test_scanner_is_scheduled_every_interval_on_the_media_queue(monkeypatch):
    task = PeriodicTask.objects.get(name="media.scan_provider_tasks")
    assert (task.task, task.queue, task.enabled) == ("media.scan_provider_tasks", "media", True)
    assert (task.interval.every, task.interval.period) == (15, "seconds")
    monkeypatch.setattr(conf, "PROVIDER_SCAN_INTERVAL_S", 30)
    provider_scan_schedule_ensure()
    assert PeriodicTask.objects.get(name="media.scan_provider_tasks").interval.every == 30
