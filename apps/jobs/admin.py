"""Django admin: jobs with status/kind/queue filters, live progress, read-only events, cancel/retry.

django-celery-beat's periodic tasks and django-celery-results' task results register their own
admin pages (both apps are installed).
"""
from __future__ import annotations

from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext

from apps.jobs import services
from apps.jobs.models import Event, Job


class EventInline(admin.TabularInline):
    model = Event
    fields = ("seq", "event", "status", "stage", "progress", "message", "data", "ts")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("seq",)

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "owner", "status", "stage_title", "progress_bar", "attempt", "queue", "created_at")
    list_filter = ("status", "kind", "queue")
    search_fields = ("id", "kind", "task_id", "owner__username", "message")
    readonly_fields = [f.name for f in Job._meta.fields]
    inlines = [EventInline]
    actions = ["cancel_jobs", "retry_jobs"]
    date_hierarchy = "created_at"
    list_select_related = ("owner",)

    class Media:
        # Status, stage and progress of listed jobs move as events arrive on `/ws/jobs/` (staff feed).
        # The page's catalog first: the live cells show status labels in the admin's language.
        js = ("/jsi18n/", "jobs/admin_live.js")

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description=_("stage"), ordering="stage")
    def stage_title(self, job: Job) -> str:
        """The stage's title in the admin's language (the stored stage stays its code)."""
        return pgettext("stage", job.stage) if job.stage else ""

    @admin.display(description=_("progress"), ordering="progress")
    def progress_bar(self, job: Job) -> str:
        return format_html('<progress max="100" value="{}" aria-valuenow="{}"></progress> {}%',
                           job.progress, job.progress, round(job.progress))

    def _apply(self, request, queryset, action, done_message) -> None:
        """`done_message` is plural-aware (ngettext_lazy keyed on "count")."""
        done, refused = 0, []
        for job in queryset:
            try:
                action(job=job)
                done += 1
            except services.JobConflict as exc:
                refused.append(f"{job.id}: {exc}")
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.WARNING)

    @admin.action(description=_("Cancel selected jobs"))
    def cancel_jobs(self, request, queryset) -> None:
        self._apply(request, queryset, services.job_cancel,
                    ngettext_lazy("Cancelled %(count)d job.", "Cancelled %(count)d jobs.", "count"))

    @admin.action(description=_("Retry selected jobs"))
    def retry_jobs(self, request, queryset) -> None:
        self._apply(request, queryset, services.job_retry,
                    ngettext_lazy("Retried %(count)d job.", "Retried %(count)d jobs.", "count"))
