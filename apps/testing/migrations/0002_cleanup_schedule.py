"""Kept for migration history only: it used to write the nightly cleanup's beat entry.

The entry is declared in CELERY_BEAT_SCHEDULE (project/settings/celery.py) now, and
django-celery-beat writes it into its tables when beat starts. Databases migrated before keep
the row this migration created; beat updates it by name.
"""
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("testing", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
