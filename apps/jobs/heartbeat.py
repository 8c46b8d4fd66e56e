"""A running job's heartbeat: the reaper fails `started` jobs whose heartbeat stopped."""
from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import connections
from django.utils import timezone

from apps.jobs import states
from apps.jobs.models import Job

logger = logging.getLogger(__name__)


class Heartbeat:
    """Refreshes job.heartbeat_at every JOBS_HEARTBEAT_INTERVAL_S from a thread of the process
    running the job, so it stops exactly when that process dies."""

    def __init__(self, job_id, *, name: str = "jobcast-heartbeat") -> None:
        self.job_id = job_id
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _beat(self) -> None:
        try:
            while not self._stop.wait(settings.JOBS_HEARTBEAT_INTERVAL_S):
                Job.objects.filter(pk=self.job_id, status=states.STARTED).update(heartbeat_at=timezone.now())
        except Exception:
            logger.exception("heartbeat for job %s stopped", self.job_id)
        finally:
            # This thread ends here: close its connection. close_old_connections() would keep a
            # healthy one open for CONN_MAX_AGE, and a dead thread's connection is never reused,
            # so every job would leak one (PostgreSQL's max_connections runs out).
            connections.close_all()
