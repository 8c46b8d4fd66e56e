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
from django.utils import translation
from django.utils.translation import gettext

from apps.jobs import registry
from apps.jobs.models import Job
from apps.notifications.models import JobEmail

logger = logging.getLogger(__name__)


def job_email_compose(job: Job) -> tuple[str, str]:
    """Subject and plain-text body in the job's language (the one active when it was created,
    issue 17): status, duration and a link to the job."""
    with translation.override(job.language or settings.LANGUAGE_CODE):
        return _compose(job)


def _compose(job: Job) -> tuple[str, str]:
    duration = gettext("n/a")
    start = job.started_at or job.created_at
    if job.finished_at and start:
        seconds = max(0.0, (job.finished_at - start).total_seconds())
        minutes, secs = divmod(int(round(seconds)), 60)
        duration = (gettext("%(minutes)d min %(seconds)d s") % {"minutes": minutes, "seconds": secs} if minutes
                    else gettext("%(seconds).1f s") % {"seconds": seconds})
    site = settings.MEDIA_SITE_URL.rstrip("/")
    status = job.get_status_display()
    subject = gettext("[Jobcast] %(kind)s %(status)s") % {"kind": job.kind, "status": status}
    lines = [gettext("Your job “%(title)s” (%(kind)s, %(id)s) finished.")
             % {"title": _kind_title(job.kind), "kind": job.kind, "id": job.pk}, "",
             gettext("Status: %(status)s") % {"status": status},
             gettext("Duration: %(duration)s") % {"duration": duration},
             gettext("Link: %(link)s") % {"link": f"{site}/api/jobs/{job.pk}/"}]
    if job.error:
        lines += ["", gettext("Error: %(message)s") % {"message": job.error.get("message", "")}]
    files = (job.result or {}).get("files") if isinstance(job.result, dict) else None
    if files:
        lines += ["", gettext("Files:")] + [f"  {site}{f['url']}" for f in files if "url" in f]
    return subject, "\n".join(lines) + "\n"


def _kind_title(kind: str) -> str:
    """The kind's title in the active language (its code when the kind is no longer registered)."""
    try:
        return str(registry.get(kind).title)
    except registry.UnknownKind:
        return kind


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
