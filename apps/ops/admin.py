"""The jobs admin, live: the core's JobAdmin (cancel/retry actions) plus a script that follows the feed.

django-celery-beat's periodic tasks and django-celery-results' task results register their own
admin pages (both apps are installed).
"""
from __future__ import annotations

from django.contrib import admin

from apps.jobs.admin import JobAdmin
from apps.jobs.models import Job


class LiveJobAdmin(JobAdmin):
    """Status, stage and progress of listed jobs move as events arrive on `/ws/jobs/` (staff feed)."""

    class Media:
        js = ("ops/admin_live.js",)


if admin.site.is_registered(Job):
    admin.site.unregister(Job)
admin.site.register(Job, LiveJobAdmin)
