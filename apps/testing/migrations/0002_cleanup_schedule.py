"""Schedule `testing.cleanup_old_results` at 02:00 every day on django-celery-beat (issue 7).

The schedule lives in the database so operators can move or disable it in the admin; the
retention itself is TESTING_RESULT_RETENTION_DAYS.
"""
from django.db import migrations

TASK = "testing.cleanup_old_results"


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="2", day_of_week="*", day_of_month="*", month_of_year="*", timezone="UTC")
    PeriodicTask.objects.update_or_create(name=TASK, defaults={
        "task": TASK, "crontab": crontab, "interval": None, "queue": "maintenance", "enabled": True,
        "description": "Delete web-test and load-test runs older than the retention (30 days by default).",
    })


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("testing", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
