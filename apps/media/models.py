"""The media app's own records: output files and pending provider tasks."""
from __future__ import annotations

from django.db import models

from apps.jobs.models import Job


class MediaFile(models.Model):
    """One output file of a job, stored through Django's default storage."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="media_files")
    name = models.CharField(max_length=200)  # the name inside the job (e.g. "scene-01.png")
    path = models.CharField(max_length=500)  # the storage name
    size = models.PositiveBigIntegerField(default=0)
    content_type = models.CharField(max_length=100, default="application/octet-stream")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["job", "name"]
        constraints = [models.UniqueConstraint(fields=["job", "name"], name="media_file_unique_name_per_job")]

    def __str__(self) -> str:
        return f"{self.job_id}/{self.name}"


class ProviderTask(models.Model):
    """Work handed to an external provider; the scanner polls it until it finishes or expires."""

    PENDING, SUCCEEDED, FAILED, EXPIRED, CANCELLED = "pending", "succeeded", "failed", "expired", "cancelled"
    STATES = [(s, s) for s in (PENDING, SUCCEEDED, FAILED, EXPIRED, CANCELLED)]

    job = models.OneToOneField(Job, on_delete=models.CASCADE, related_name="provider_task")
    provider = models.CharField(max_length=50)
    external_id = models.CharField(max_length=200)
    state = models.CharField(max_length=16, choices=STATES, default=PENDING, db_index=True)
    provider_status = models.CharField(max_length=50, blank=True, default="")
    polls = models.PositiveIntegerField(default=0)
    submitted_at = models.DateTimeField(auto_now_add=True)
    deadline_at = models.DateTimeField()
    last_polled_at = models.DateTimeField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["submitted_at"]

    def __str__(self) -> str:
        return f"{self.provider}:{self.external_id} ({self.state})"

