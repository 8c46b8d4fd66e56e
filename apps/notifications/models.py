"""Sent completion e-mails (a redelivered task does not send one twice)."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.jobs.models import Job


class JobEmail(models.Model):
    """The completion e-mail of a job, once sent (a redelivered task does not send it twice)."""

    job = models.OneToOneField(Job, on_delete=models.CASCADE, related_name="completion_email", verbose_name=_("job"))
    recipient = models.EmailField(_("recipient"))
    status = models.CharField(_("job status"), max_length=16)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("completion e-mail")
        verbose_name_plural = _("completion e-mails")
        db_table = "media_jobemail"  # created by apps.media's first migration; the rows stay where they are

    def __str__(self) -> str:
        return f"{self.job_id} → {self.recipient}"
