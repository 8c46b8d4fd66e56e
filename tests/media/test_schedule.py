"""The scanner's beat entry: declared in CELERY_BEAT_SCHEDULE, written to django-celery-beat's tables by beat."""
import json
import os
import subprocess
import sys

import pytest
from django_celery_beat.models import PeriodicTask

from livestack.stack import ROOT
from tests.beat import beat_start

pytestmark = pytest.mark.django_db


def _schedule_with(**env: str) -> dict:
    """CELERY_BEAT_SCHEDULE as a fresh process reads it from these environment variables."""
    code = ("import json; from django.conf import settings; "
            "entry = settings.CELERY_BEAT_SCHEDULE['media.scan_provider_tasks']; "
            "print(json.dumps({'media.scan_provider_tasks': entry}))")
    proc = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=True,
                          env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", **env})
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_scanner_is_scheduled_every_interval_on_the_media_queue():
    beat_start()
    task = PeriodicTask.objects.get(name="media.scan_provider_tasks")
    assert (task.task, task.queue, task.enabled) == ("media.scan_provider_tasks", "media", True)
    assert (task.interval.every, task.interval.period) == (15, "seconds")
    beat_start(_schedule_with(MEDIA_PROVIDER_SCAN_INTERVAL_S="30"))
    assert PeriodicTask.objects.get(name="media.scan_provider_tasks").interval.every == 30
