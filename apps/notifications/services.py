"""Completion e-mails: a job created with `notify` e-mails its owner when it reaches a terminal state.

`apps.notifications.receivers` enqueues `media.send_job_email` on the `email` queue from the
core's `job_finished` signal; the task sends through Django's e-mail backend and is retried on
SMTP errors. A JobEmail row makes a redelivered task a no-op.
"""
from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError

from apps.jobs.models import Job
from apps.notifications.models import JobEmail

logger = logging.getLogger(__name__)


def job_email_compose(job: Job) -> tuple[str, str]:
    """Subject and plain-text body: status, duration and a link to the job."""
    duration = "n/a"
    start = job.started_at or job.created_at
    if job.finished_at and start:
        seconds = max(0.0, (job.finished_at - start).total_seconds())
        minutes, secs = divmod(int(round(seconds)), 60)
        duration = f"{minutes} min {secs} s" if minutes else f"{seconds:.1f} s"
    link = f"{settings.MEDIA_SITE_URL.rstrip('/')}/api/jobs/{job.pk}/"
    subject = f"[Jobcast] {job.kind} {job.status}"
    lines = [f"Your job {job.kind} ({job.pk}) finished.", "",
             f"Status:   {job.status}", f"Duration: {duration}", f"Link:     {link}"]
    if job.error:
        lines += ["", f"Error: {job.error.get('message', '')}"]
    files = (job.result or {}).get("files") if isinstance(job.result, dict) else None
    if files:
        lines += ["", "Files:"] + [f"  {settings.MEDIA_SITE_URL.rstrip('/')}{f['url']}" for f in files if "url" in f]
    return subject, "\n".join(lines) + "\n"


def job_email_send(*, job_id: uuid.UUID | str) -> bool:
    """Send the completion e-mail once; False when there is nothing to send (or it was sent)."""
    job = Job.objects.select_related("owner").filter(pk=job_id).first()
    if job is None or not job.is_finished or not job.notify:
        return False
    if JobEmail.objects.filter(job=job).exists():
        return False
    recipient = (job.owner.email or "").strip()
    if not recipient:
        logger.info("job %s: owner %s has no e-mail address; no completion e-mail", job.pk, job.owner)
        return False
    subject, body = job_email_compose(job)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient], fail_silently=False)
    try:
        JobEmail.objects.create(job=job, recipient=recipient, status=job.status)
    except IntegrityError:
        pass  # a concurrent delivery recorded it first
    return True
