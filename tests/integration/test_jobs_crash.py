"""Workers dying mid-job: a pool process SIGKILLed (the OOM killer), or the whole worker."""
import os
import signal

import pytest

from livestack.stack import LiveStack, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.chaos]


@pytest.fixture(scope="module")
def crash_stack():
    # Short heartbeats and a reaper every second, so a dead worker's job is failed quickly;
    # beat runs as in production (DatabaseScheduler) to drive the reaper.
    live = LiveStack(workers=1, env={"JOBS_HEARTBEAT_INTERVAL_S": "0.5", "JOBS_HEARTBEAT_TIMEOUT_S": "4",
                                     "JOBS_REAPER_INTERVAL_S": "1"}).start()
    live.beat = live._spawn("beat", [*live_python(), "-m", "celery", "-A", "project", "beat", "-l", "info",
                                     "-s", str(live.dir / "beat-schedule")])
    live.workers.append(live.beat)
    yield live
    live.stop()


def live_python():
    import sys

    return [sys.executable]


def _worker_pid_running(stack: LiveStack, job_id: str) -> int:
    started = [e for e in stack.events(job_id) if e["event"] == "started"]
    return int(started[-1]["data"]["worker"].rsplit(":", 1)[1])


def test_pool_process_killed_mid_job_is_redelivered_and_finishes(crash_stack):
    stack = crash_stack
    job = stack.submit(params={"steps": 30, "interval_ms": 100})
    wait_until(lambda: stack.job(job["id"])["progress"] >= 10, 60, what="progress before the kill")
    victim = _worker_pid_running(stack, job["id"])
    os.kill(victim, signal.SIGKILL)
    done = stack.wait_job(job["id"], timeout=120)
    assert done["status"] == "success", done
    events = stack.events(job["id"])
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    retries = [e for e in events if e["event"] == "retry"]
    assert retries and retries[0]["data"]["reason"] == "worker_lost"
    assert done["attempt"] == 2
    assert _worker_pid_running(stack, job["id"]) != victim


def test_whole_worker_killed_then_reaper_fails_the_job_clearly(crash_stack):
    stack = crash_stack
    job = stack.submit(params={"steps": 200, "interval_ms": 100})
    wait_until(lambda: stack.job(job["id"])["progress"] >= 2, 60, what="progress before the kill")
    worker = stack.workers[0]
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(10)
    stack.start_worker("w-replacement")
    done = stack.wait_job(job["id"], timeout=120)
    # The message stays unacknowledged until the visibility timeout; the reaper gets there first.
    assert done["status"] == "failure"
    assert done["error"]["type"] == "WorkerLost" and "heartbeat" in done["error"]["message"]
    # The replacement worker runs new jobs.
    again = stack.submit(params={"steps": 2, "interval_ms": 0})
    assert stack.wait_job(again["id"], timeout=60)["status"] == "success"
