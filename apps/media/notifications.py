"""Completion e-mails: a job created with `notify` e-mails its owner when it reaches a terminal state.

The core's `job_finished` signal (after commit, in whatever process finished the job) enqueues
`media.send_job_email` on the `email` queue; the task sends through Django's e-mail backend and
is retried on SMTP errors. A JobEmail row makes a redelivered task a no-op.
"""
from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError

from apps.jobs.models import Job
from apps.media.models import JobEmail

logger = logging.getLogger(__name__)

EMAIL_QUEUE = "email"


def on_job_finished(sender, *, job_id, kind: str, status: str, owner_id: int, **kwargs) -> None:
    """`job_finished` receiver: enqueue the e-mail of a job that asked for one."""
    if not Job.objects.filter(pk=job_id, notify=True).exists():
        return
    # The signal runs inside the core's on_commit hook: an exception here would surface as a
    # failure of the job's own transition, so a broker outage is logged, never raised.
    try:
        job_email_enqueue(job_id=job_id)
    except Exception:
        logger.exception("could not enqueue the completion e-mail of job %s", job_id)


def job_email_enqueue(*, job_id: uuid.UUID | str) -> None:
    if settings.CELERY_ENABLED:
        from apps.media.tasks import send_job_email

        send_job_email.apply_async(args=[str(job_id)], queue=EMAIL_QUEUE)
    else:
        job_email_send(job_id=job_id)


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
