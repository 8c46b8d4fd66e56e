"""What `celery -A project beat` does first, for tests that read django-celery-beat's tables."""
from django_celery_beat.schedulers import DatabaseScheduler

from project.celery import app


def beat_start(schedule: dict | None = None) -> None:
    """Write CELERY_BEAT_SCHEDULE (or `schedule`) into the tables, entry by entry, as beat's
    DatabaseScheduler.update_from_dict does at start (without its connection recycling, which
    would close the test's transaction)."""
    for name, fields in (app.conf.beat_schedule if schedule is None else schedule).items():
        DatabaseScheduler.Entry.from_entry(name, app=app, **fields)
