"""Celery tasks of apps.progress: celery-progress's README example, to smoke-test the compatibility."""
from __future__ import annotations

import time

from celery import shared_task

from apps.progress.recorder import ProgressRecorder


class DemoFailure(RuntimeError):
    """The failure the demo raises on purpose at `fail_at`."""


@shared_task(bind=True, name="ops.progress_demo")
def progress_demo(self, steps: int = 10, interval_ms: int = 100, fail_at: int | None = None, **_owner) -> str:
    """Count to `steps` through a ProgressRecorder exactly as a celery-progress user's task would."""
    recorder = ProgressRecorder(self)
    for i in range(1, steps + 1):
        time.sleep(interval_ms / 1000.0)
        if fail_at is not None and i == fail_at:
            raise DemoFailure(f"failed at step {i} as asked")
        recorder.set_progress(i, steps, description=f"step {i}")
    return f"counted to {steps}"
