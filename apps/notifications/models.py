"""Sent completion e-mails (a redelivered task does not send one twice)."""
from __future__ import annotations

from django.db import models

from apps.jobs.models import Job


class JobEmail(models.Model):
    """The completion e-mail of a job, once sent (a redelivered task does not send it twice)."""

    job = models.OneToOneField(Job, on_delete=models.CASCADE, related_name="completion_email")
    recipient = models.EmailField()
    status = models.CharField(max_length=16)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "media_jobemail"  # created by apps.media's first migration; the rows stay where they are

    def __str__(self) -> str:
        return f"{self.job_id} → {self.recipient}"
