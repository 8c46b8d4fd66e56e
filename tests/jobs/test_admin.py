"""The jobs admin: one registration, and its changelist follows the staff feed (the live script)."""
from __future__ import annotations

import pytest
from django.contrib import admin

from apps.jobs.admin import JobAdmin
from apps.jobs.models import Job

pytestmark = pytest.mark.django_db


def test_the_job_changelist_loads_the_live_script(client, django_user_model, settings):
    # No collectstatic in unit tests: plain storage instead of the manifest.
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    django_user_model.objects.create_user("root", password="root-password", is_staff=True, is_superuser=True)
    client.login(username="root", password="root-password")
    page = client.get("/admin/jobs/job/")
    assert page.status_code == 200
    assert "jobs/admin_live.js" in page.content.decode()
    assert type(admin.site._registry[Job]) is JobAdmin
