"""DJANGO_TIME_ZONE sets Django's and Celery's zone; the nightly cleanup is 02:00 in it (issue 17)."""
from __future__ import annotations

import subprocess
import sys
from importlib import import_module

import pytest
from django.apps import apps
from django_celery_beat.models import PeriodicTask

migration = import_module("apps.testing.migrations.0003_cleanup_schedule_time_zone")


def test_the_setting_reads_django_time_zone_for_django_and_celery():
    code = ("import django, os; os.environ['DJANGO_TIME_ZONE'] = 'Asia/Shanghai'; django.setup(); "
            "from django.conf import settings; print(settings.TIME_ZONE, settings.CELERY_TIMEZONE)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"DJANGO_SETTINGS_MODULE": "project.settings", "DJANGO_DEBUG": "true",
                              "PATH": "/usr/bin:/bin"})
    assert out.stdout.split() == ["Asia/Shanghai", "Asia/Shanghai"]


@pytest.mark.django_db
def test_the_nightly_cleanup_runs_at_two_in_the_configured_zone(settings):
    task = PeriodicTask.objects.get(name=migration.TASK)
    assert (task.crontab.hour, task.crontab.minute, str(task.crontab.timezone)) == ("2", "0", "UTC")
    settings.TIME_ZONE = "Asia/Shanghai"
    migration.follow_time_zone(apps, None)
    task.refresh_from_db()
    assert (task.crontab.hour, task.crontab.minute, str(task.crontab.timezone)) == ("2", "0", "Asia/Shanghai")
