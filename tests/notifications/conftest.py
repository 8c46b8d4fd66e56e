"""Fixtures for completion e-mails: started jobs that the tests then finish."""
from __future__ import annotations

from typing import Any

import pytest

from apps.jobs import events, states
from apps.jobs.services import job_create


@pytest.fixture
def started(alice):
    """Create a job of `kind` and move it to `started`; returns (job, None) like tests/media's fixture."""
    def make(kind: str, params: dict[str, Any], owner=None, notify: bool = False):
        job = job_create(owner=owner or alice, kind=kind, params=params, notify=notify)
        events.record(job.pk, states.STARTED, message="started")
        job.refresh_from_db()
        return job, None
    return make
