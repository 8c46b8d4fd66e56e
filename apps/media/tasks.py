"""Celery tasks of the media app: thin wrappers around the scanner and the e-mail service."""
from __future__ import annotations

import smtplib

from celery import shared_task
from django.conf import settings

from apps.media import notifications, providers


@shared_task(name="media.scan_provider_tasks")
def scan_provider_tasks() -> dict[str, int]:
    """Advance jobs waiting on external providers (django-celery-beat, every 15 s by default)."""
    return providers.provider_tasks_scan()


@shared_task(name="media.send_job_email", bind=True, max_retries=None)
def send_job_email(self, job_id: str) -> bool:
    """E-mail a job's owner that it finished; retried with backoff on SMTP and network errors."""
    try:
        return notifications.job_email_send(job_id=job_id)
    except (smtplib.SMTPException, OSError) as exc:
        if self.request.retries >= settings.MEDIA_EMAIL_MAX_RETRIES:
            raise
        countdown = settings.MEDIA_EMAIL_RETRY_BACKOFF_S * (2 ** self.request.retries)
        raise self.retry(exc=exc, countdown=countdown, queue=notifications.EMAIL_QUEUE) from exc
