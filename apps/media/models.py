"""The media app's own records: output files and pending provider tasks."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.jobs.models import Job


class MediaFile(models.Model):
    """One output file of a job, stored through Django's default storage."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="media_files", verbose_name=_("job"))
    name = models.CharField(_("name"), max_length=200)  # the name inside the job (e.g. "scene-01.png")
    path = models.CharField(_("storage path"), max_length=500)  # the storage name
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    content_type = models.CharField(_("content type"), max_length=100, default="application/octet-stream")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["job", "name"]
        verbose_name = _("media file")
        verbose_name_plural = _("media files")
        constraints = [models.UniqueConstraint(fields=["job", "name"], name="media_file_unique_name_per_job")]

    def __str__(self) -> str:
        return f"{self.job_id}/{self.name}"


class ProviderTask(models.Model):
    """Work handed to an external provider; the scanner polls it until it finishes or expires."""

    PENDING, SUCCEEDED, FAILED, EXPIRED, CANCELLED = "pending", "succeeded", "failed", "expired", "cancelled"
    STATES = [(PENDING, _("pending")), (SUCCEEDED, _("succeeded")), (FAILED, _("failed")), (EXPIRED, _("expired")),
              (CANCELLED, _("cancelled"))]

    job = models.OneToOneField(Job, on_delete=models.CASCADE, related_name="provider_task", verbose_name=_("job"))
    provider = models.CharField(_("provider"), max_length=50)
    external_id = models.CharField(_("provider task ID"), max_length=200)
    state = models.CharField(_("state"), max_length=16, choices=STATES, default=PENDING, db_index=True)
    provider_status = models.CharField(_("provider status"), max_length=50, blank=True, default="")
    polls = models.PositiveIntegerField(_("polls"), default=0)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    deadline_at = models.DateTimeField(_("deadline"))
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True)
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["submitted_at"]
        verbose_name = _("provider task")
        verbose_name_plural = _("provider tasks")

    def __str__(self) -> str:
        return f"{self.provider}:{self.external_id} ({self.state})"

