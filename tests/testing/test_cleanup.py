"""The nightly cleanup: only finished runs older than the retention go; beat runs it at 02:00."""
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from apps.jobs import services as job_services
from apps.testing import services
from apps.testing.models import PerfScenario, PerfTestRun, WebTestRun, WebTestScript
from apps.testing.tasks import cleanup_old_results
from tests.beat import beat_start

pytestmark = pytest.mark.django_db


def _web_run(owner, script, *, age_days, finished=True):
    run = services.web_run_start(script=script, owner=owner)
    if finished:
        job_services.job_cancel(job=run.job)
    WebTestRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - timedelta(days=age_days))
    return run


def test_cleanup_deletes_only_finished_runs_older_than_the_retention(alice):
    script = WebTestScript.objects.create(owner=alice, name="s", base_url="http://127.0.0.1:1", steps=[])
    scenario = PerfScenario.objects.create(owner=alice, name="p", base_url="http://127.0.0.1:1",
                                           requests=[{"name": "a", "path": "/"}], think_time_ms=[0, 0])
    old = _web_run(alice, script, age_days=settings.TESTING_RESULT_RETENTION_DAYS + 1)
    young = _web_run(alice, script, age_days=settings.TESTING_RESULT_RETENTION_DAYS - 1)
    old_but_running = _web_run(alice, script, age_days=90, finished=False)
    perf_old = services.perf_run_start(scenario=scenario, owner=alice, user_count=1, spawn_rate=1, run_time=1)
    job_services.job_cancel(job=perf_old.job)
    PerfTestRun.objects.filter(pk=perf_old.pk).update(created_at=timezone.now() - timedelta(days=31))

    assert cleanup_old_results() == {"web": 1, "perf": 1}  # the task beat calls

    assert set(WebTestRun.objects.values_list("pk", flat=True)) == {young.pk, old_but_running.pk}
    assert not PerfTestRun.objects.exists()
    assert WebTestScript.objects.filter(pk=script.pk).exists() and PerfScenario.objects.filter(pk=scenario.pk).exists()
    assert old.pk not in WebTestRun.objects.values_list("pk", flat=True)


def test_the_cleanup_is_scheduled_daily_at_two_on_django_celery_beat():
    beat_start()
    task = PeriodicTask.objects.get(name="testing.cleanup_old_results")
    assert task.task == "testing.cleanup_old_results" and task.enabled and task.interval is None
    cron = task.crontab
    assert (cron.minute, cron.hour, cron.day_of_week, cron.day_of_month, cron.month_of_year) == ("0", "2", "*", "*", "*")
    assert settings.TESTING_RESULT_RETENTION_DAYS == 30
