"""The completion e-mail's Celery task: a thin wrapper around the service, retried on SMTP errors."""
from __future__ import annotations

import smtplib

from celery import shared_task
from django.conf import settings

from apps.notifications import services

EMAIL_QUEUE = "email"


# The name is kept from apps.media: messages already queued, and routes, still find it.
@shared_task(name="media.send_job_email", bind=True, max_retries=None)
def send_job_email(self, job_id: str) -> bool:
    """E-mail a job's owner that it finished; retried with backoff on SMTP and network errors."""
    try:
        return services.job_email_send(job_id=job_id)
    except (smtplib.SMTPException, OSError) as exc:
        if self.request.retries >= settings.MEDIA_EMAIL_MAX_RETRIES:
            raise
        countdown = settings.MEDIA_EMAIL_RETRY_BACKOFF_S * (2 ** self.request.retries)
        raise self.retry(exc=exc, countdown=countdown, queue=EMAIL_QUEUE) from exc
