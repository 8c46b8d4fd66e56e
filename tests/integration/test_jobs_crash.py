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
    # A worker for the reaper only: on Redis the job's message stays unacknowledged until the
    # visibility timeout, on RabbitMQ it is back in the queue with nobody to take it yet.
    stack.start_worker("w-maintenance", queues="maintenance")
    done = stack.wait_job(job["id"], timeout=120)
    assert done["status"] == "failure"
    assert done["error"]["type"] == "WorkerLost" and "heartbeat" in done["error"]["message"]
    stack.start_worker("w-replacement")
    # The replacement worker runs new jobs; a redelivered message of the failed job (RabbitMQ
    # hands it over at once) is dropped, not run again.
    again = stack.submit(params={"steps": 2, "interval_ms": 0})
    assert stack.wait_job(again["id"], timeout=60)["status"] == "success"
    assert stack.job(job["id"])["status"] == "failure"
    assert [e["event"] for e in stack.events(job["id"])].count("started") == 1


def _worker_owning(stack: LiveStack, pool_pid: int):
    """The worker (main process) whose pool process `pool_pid` is."""
    parent = int(open(f"/proc/{pool_pid}/stat").read().rsplit(")", 1)[1].split()[1])
    return next(w for w in stack.workers if w.pid == parent)


def test_whole_worker_killed_on_rabbitmq_the_other_worker_gets_the_job_at_once(crash_stack):
    stack = crash_stack
    if not stack.broker_url.startswith("amqp://"):
        pytest.skip("RabbitMQ only: Redis redelivers after the visibility timeout (3 h), the reaper comes first")
    stack.start_worker("w-standby")
    wait_until(lambda: " ready." in stack.log("worker-w-standby"), 60, what="the standby worker consuming")
    job = stack.submit(params={"steps": 40, "interval_ms": 100})
    wait_until(lambda: stack.job(job["id"])["progress"] >= 5, 60, what="progress before the kill")
    worker = _worker_owning(stack, _worker_pid_running(stack, job["id"]))
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(10)
    # The channel closed with the message unacknowledged: RabbitMQ redelivers it to the worker
    # still consuming, well within the heartbeat timeout, so the job is run again, not reaped.
    done = stack.wait_job(job["id"], timeout=120)
    assert done["status"] == "success", done
    assert done["attempt"] == 2
    events = stack.events(job["id"])
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert [e["data"].get("reason") for e in events if e["event"] == "retry"] == ["worker_lost"]
