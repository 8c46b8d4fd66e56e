"""DJANGO_TIME_ZONE sets Django's and Celery's zone; the nightly cleanup is 02:00 in it (issue 17)."""
from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings

PROBE = """
import django
django.setup()
from django.conf import settings
from project.celery import app
cleanup = settings.CELERY_BEAT_SCHEDULE["testing.cleanup_old_results"]["schedule"]
cleanup.app = app
print(settings.TIME_ZONE, settings.CELERY_TIMEZONE, app.timezone, sorted(cleanup.hour), sorted(cleanup.minute), cleanup.tz)
"""


def probe(**env: str) -> list[str]:
    environ = {name: value for name, value in os.environ.items() if name != "DJANGO_TIME_ZONE"}
    environ.update({"DJANGO_SETTINGS_MODULE": "project.settings", "DJANGO_DEBUG": "true",
                    "JOBCAST_ENV_FILE": os.devnull, **env})
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, env=environ,
                         cwd=settings.BASE_DIR)
    return out.stdout.split()


def test_the_default_zone_is_utc():
    assert probe() == ["UTC", "UTC", "UTC", "[2]", "[0]", "UTC"]


def test_django_time_zone_moves_django_celery_and_the_nightly_cleanup():
    assert probe(DJANGO_TIME_ZONE="Asia/Shanghai") == [
        "Asia/Shanghai", "Asia/Shanghai", "Asia/Shanghai", "[2]", "[0]", "Asia/Shanghai"]
