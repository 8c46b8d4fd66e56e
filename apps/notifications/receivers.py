"""The core's `job_finished` signal (after commit, in whatever process finished the job) enqueues the e-mail."""
from __future__ import annotations

import logging
import uuid

from django.conf import settings

from apps.jobs.models import Job
from apps.notifications.services import job_email_send
from apps.notifications.tasks import EMAIL_QUEUE, send_job_email

logger = logging.getLogger(__name__)


def on_job_finished(sender, *, job_id, kind: str, status: str, owner_id: int, notify: bool | None = None,
                    **kwargs) -> None:
    """`job_finished` receiver: enqueue the e-mail of a job that asked for one.

    `notify` comes with the signal from the finished row (no query for the jobs that did not ask,
    almost all of them); a sender that leaves it out costs a look-up."""
    if notify is None:
        notify = Job.objects.filter(pk=job_id, notify=True).exists()
    if not notify:
        return
    # The signal runs inside the core's on_commit hook: an exception here would surface as a
    # failure of the job's own transition, so a broker outage is logged, never raised.
    try:
        job_email_enqueue(job_id=job_id)
    except Exception:
        logger.exception("could not enqueue the completion e-mail of job %s", job_id)


def job_email_enqueue(*, job_id: uuid.UUID | str) -> None:
    """On the `email` queue; sent inline when Celery is off."""
    if settings.CELERY_ENABLED:
        send_job_email.apply_async(args=[str(job_id)], queue=EMAIL_QUEUE)
    else:
        job_email_send(job_id=job_id)
