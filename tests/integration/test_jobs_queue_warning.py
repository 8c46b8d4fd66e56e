"""A pending job on a queue no live worker consumes says so, and stops saying so once one does."""
from __future__ import annotations

import pytest

from livestack.stack import LiveStack, wait_until

pytestmark = pytest.mark.integration


class JobsQueueOnlyStack(LiveStack):
    """Its first worker consumes only the `jobs` queue (as `celery worker -Q jobs` would)."""

    def start_worker(self, name, queues=None, pool="prefork", concurrency=None):
        return super().start_worker(name, queues=queues or "jobs", pool=pool, concurrency=concurrency)


@pytest.fixture(scope="module")
def jobs_only_stack():
    stack = JobsQueueOnlyStack(workers=1, env={"JOBS_WORKER_ANNOUNCE_S": "0.5"}).start()
    yield stack
    stack.stop()


def test_job_on_an_unconsumed_queue_carries_a_warning_until_a_worker_takes_the_queue(jobs_only_stack):
    stack = jobs_only_stack
    ticker = stack.submit(params={"steps": 1, "interval_ms": 0})
    assert stack.wait_job(ticker["id"])["status"] == "success"
    assert "warnings" not in stack.job(ticker["id"])

    script = stack.submit("media.script", {"topic": "a lighthouse keeper", "scenes": 1})
    assert script["status"] == "pending"
    pending = wait_until(lambda: (lambda j: j if j.get("warnings") else None)(stack.job(script["id"])), 30,
                         what="the pending job's warning")
    assert pending["status"] == "pending"
    assert pending["warnings"] == ["no worker listens on queue media"]

    stack.start_worker("media", queues="media")
    finished = stack.wait_job(script["id"], timeout=120)
    assert finished["status"] == "success"
    assert "warnings" not in finished
