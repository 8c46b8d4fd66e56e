"""The nightly cleanup runs at 02:00 in DJANGO_TIME_ZONE, not 02:00 UTC (issue 17).

A team in Shanghai sets DJANGO_TIME_ZONE=Asia/Shanghai and gets its 02:00 local run back.
"""
from django.conf import settings
from django.db import migrations

TASK = "testing.cleanup_old_results"


def follow_time_zone(apps, schema_editor, zone: str | None = None):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    task = PeriodicTask.objects.filter(name=TASK, crontab__isnull=False).select_related("crontab").first()
    if task is None:
        return
    old = task.crontab
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute=old.minute, hour=old.hour, day_of_week=old.day_of_week, day_of_month=old.day_of_month,
        month_of_year=old.month_of_year, timezone=zone or settings.TIME_ZONE)
    task.crontab = crontab
    task.save(update_fields=["crontab"])


def back_to_utc(apps, schema_editor):
    follow_time_zone(apps, schema_editor, zone="UTC")


class Migration(migrations.Migration):
    dependencies = [("testing", "0002_cleanup_schedule")]

    operations = [migrations.RunPython(follow_time_zone, back_to_utc)]
