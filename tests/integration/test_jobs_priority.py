"""Job priorities as the broker serves them: 9 before 5 before 0, on Redis' emulation and RabbitMQ alike."""
import pytest

from livestack.stack import LiveStack, wait_until

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def single_slot_stack():
    # One worker process: with prefetch 1 and late acks it holds only the job it runs, so the
    # rest wait in the broker, which decides their order.
    live = LiveStack(workers=1, concurrency=1).start()
    yield live
    live.stop()


def _started_at(stack: LiveStack, job_id: str) -> str:
    return next(e["ts"] for e in stack.events(job_id) if e["event"] == "started")


def test_waiting_jobs_run_highest_priority_first(single_slot_stack):
    stack = single_slot_stack
    blocker = stack.submit(params={"steps": 20, "interval_ms": 100})
    wait_until(lambda: stack.job(blocker["id"])["status"] == "started", 60, what="the blocker to start")
    low = [stack.submit(params={"steps": 1, "interval_ms": 0}, priority=0) for _ in range(2)]
    mid = stack.submit(params={"steps": 1, "interval_ms": 0}, priority=5)
    high = stack.submit(params={"steps": 1, "interval_ms": 0}, priority=9)
    assert stack.job(blocker["id"])["status"] == "started", "the blocker ended before the others were queued"
    for job in [blocker, *low, mid, high]:
        assert stack.wait_job(job["id"])["status"] == "success"
    order = sorted([high, mid, *low], key=lambda job: _started_at(stack, job["id"]))
    assert [job["priority"] for job in order] == [9, 5, 0, 0]
