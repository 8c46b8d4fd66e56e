"""Use cases of the visual-analysis API: start an analysis (and, with Celery off, wait for it)."""
from __future__ import annotations

import base64
import threading

from django.conf import settings

from apps.jobs import services as job_services
from apps.jobs import states
from apps.jobs.models import Job
from apps.jobs.signals import job_finished
from apps.vision.images import open_image
from apps.vision.kinds import KIND

# Job ids a request is waiting on (CELERY_ENABLED=false), woken by the job_finished signal.
_waiters: dict[str, threading.Event] = {}
_waiters_lock = threading.Lock()


def analysis_start(*, owner, image: bytes) -> Job:
    """Verify the image fully, then create the job; with Celery off, answer once it has run.

    The replaced system processed synchronously when Celery was disabled and its users rely on
    getting the finished result from the POST. With CELERY_ENABLED=false the core runs the job
    in a thread of this process; waiting for it here keeps that promise while the job, its
    stored events and the status endpoint behave exactly as in the asynchronous case.
    """
    open_image(image)  # raises ImageRejected: nothing is created
    job = job_services.job_create(owner=owner, kind=KIND,
                                  params={"image_data": base64.b64encode(image).decode("ascii")})
    if not settings.CELERY_ENABLED:
        job = analysis_wait(job=job, timeout=settings.VISION_TIME_LIMIT_S)
    return job


def analysis_wait(*, job: Job, timeout: float) -> Job:
    """Block until the job finishes in this process (or `timeout` passes); return it fresh."""
    finished = threading.Event()
    key = str(job.pk)
    with _waiters_lock:
        _waiters[key] = finished
    try:
        job.refresh_from_db()
        if job.status not in states.TERMINAL:
            finished.wait(timeout)
    finally:
        with _waiters_lock:
            _waiters.pop(key, None)
    job.refresh_from_db()
    return job


def connect_signals() -> None:
    """Called from VisionConfig.ready()."""
    job_finished.connect(_wake_waiter, dispatch_uid="vision.wake_waiter")


def _wake_waiter(sender, *, job_id, kind: str, **kwargs) -> None:
    if kind != KIND:
        return
    with _waiters_lock:
        finished = _waiters.get(str(job_id))
    if finished is not None:
        finished.set()
