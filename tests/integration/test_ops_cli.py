"""The `jobcast` command line against the real stack: status, submit --follow, worker + stop, purge."""
from __future__ import annotations

import json
import subprocess
import sys
import uuid

import pytest
import redis

from livestack.stack import ROOT, wait_until

pytestmark = pytest.mark.integration


def jobcast(stack, *args: str, env: dict | None = None, input: str | None = None, timeout: float = 120):
    """Run `python -m project …` as an operator would, with the stack's configuration."""
    full_env = {**stack.env, "JOBCAST_URL": stack.base, "JOBCAST_TOKEN": stack.tokens["alice"],
                "COLUMNS": "200", **(env or {})}
    return subprocess.run([sys.executable, "-m", "project", *args], cwd=ROOT, env=full_env, input=input,
                          capture_output=True, text=True, timeout=timeout)


def test_status_lists_workers_with_their_queues_and_the_broker_and_database(stack):
    proc = jobcast(stack, "status", "--json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = json.loads(proc.stdout)
    assert report["health"] == {"database": "ok", "broker": "ok", "channel_layer": "ok", "workers": "ok"}
    worker = next(w for name, w in report["workers"].items() if name.startswith("w1@"))
    assert {"jobs", "ocr", "media.video", "maintenance"} <= set(worker["queues"])
    assert worker["pool"] == "prefork" and worker["concurrency"] == stack.concurrency
    assert "jobs" in report["queues"] and "jobs.ticker" in [k["kind"] for k in report["kinds"]]
    table = jobcast(stack, "status")  # the same, drawn for people
    assert table.returncode == 0 and "w1@" in table.stdout and "registered job kinds" in table.stdout


def test_submit_follow_exits_0_on_success_and_1_on_failure(stack):
    ok = jobcast(stack, "submit", "jobs.ticker", "--param", "steps=5", "--param", "interval_ms=20", "--follow")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "succeeded" in ok.stdout and '"steps": 5' in ok.stdout
    bad = jobcast(stack, "submit", "jobs.ticker", "-p", "steps=5", "-p", "interval_ms=10", "-p", "fail_at=3", "-f")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "failed" in bad.stdout and "TickerFailure" in bad.stdout
    job_id = bad.stdout.split()[1]
    tail = jobcast(stack, "tail", job_id, "--quiet")  # a finished job: its outcome at once
    assert tail.returncode == 1 and "failed at step 3" in tail.stdout
    refused = jobcast(stack, "submit", "jobs.ticker", "-p", "steps=0")
    assert refused.returncode == 3 and "steps" in refused.stdout


def test_worker_writes_a_pidfile_shows_in_status_and_stop_shuts_it_down_warm(stack, tmp_path):
    env = {"JOBCAST_RUN_DIR": str(tmp_path)}
    # A long node name: `jobcast status` piped at 80 columns once cut names like this to "opscli…".
    worker = subprocess.Popen([sys.executable, "-m", "project", "worker", "--queues", "email", "--pool", "solo",
                               "--name", f"opscli{uuid.uuid4().hex[:6]}-email-notifications-worker"],
                              cwd=ROOT, env={**stack.env, **env}, stdout=open(tmp_path / "worker.log", "wb"),
                              stderr=subprocess.STDOUT, start_new_session=True)
    try:
        pidfile = wait_until(lambda: next(iter(tmp_path.glob("worker-opscli*.pid")), None), 60,
                             what="the worker's pidfile")
        assert int(pidfile.read_text()) == worker.pid
        name = pidfile.stem.removeprefix("worker-")

        def listed():
            report = json.loads(jobcast(stack, "status", "--json", env=env).stdout)
            return next((w for n, w in report["workers"].items() if n.startswith(f"{name}@")), None)
        mine = wait_until(listed, 60, 0.5, what="the new worker in `jobcast status`")
        assert mine["queues"] == ["email"] and mine["pool"] == "solo"
        names = json.loads(jobcast(stack, "status", "--json", env=env).stdout)["workers"]
        narrow = jobcast(stack, "status", env={**env, "COLUMNS": "80"})  # piped, as to `less` or a file
        assert all(full in narrow.stdout for full in names), narrow.stdout
        stop = jobcast(stack, "stop", "--timeout", "60", env=env)
        assert stop.returncode == 0, stop.stdout + stop.stderr
        assert "stopped" in stop.stdout
        assert worker.wait(30) == 0  # warm shutdown: a clean exit
        assert not pidfile.exists()
        assert "nothing to stop" in jobcast(stack, "stop", env=env).stdout
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(10)


def test_purge_asks_first_then_empties_the_queue(stack):
    # A Redis database no worker listens on, so the messages stay until purged.
    base = stack.redis_url.rsplit("/", 1)[0]
    broker = f"{base}/7"
    env = {"REDIS_URL": broker, "CELERY_BROKER_URL": broker}
    from celery import Celery
    from django.conf import settings

    sender = Celery("ops-purge-test", broker=broker, set_as_current=False)
    sender.conf.broker_transport_options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    with sender.connection_for_write(url=broker) as connection:  # not CELERY_BROKER_URL of this process
        for priority in (0, 4, 9):
            sender.send_task("jobs.run", args=[str(uuid.uuid4()), 0], queue="jobs", priority=priority,
                             connection=connection)
    client = redis.Redis.from_url(broker)
    waiting = lambda: sum(client.llen(k) for k in ["jobs"] + [f"jobs:{i}" for i in range(1, 10)])  # noqa: E731
    assert waiting() == 3
    declined = jobcast(stack, "purge", "--queue", "jobs", env=env, input="n\n")
    assert declined.returncode == 1 and "nothing deleted" in declined.stdout and waiting() == 3
    done = jobcast(stack, "purge", "--queue", "jobs", "--yes", env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "purged 3 message(s)" in done.stdout and waiting() == 0
    assert "is empty" in jobcast(stack, "purge", "--queue", "jobs", env=env).stdout
    assert jobcast(stack, "purge", "--queue", "jbos", "--yes", env=env).returncode == 2
    client.flushdb()


PENDING_JOBS_SCRIPT = """
import sys, django
django.setup()
from django.contrib.auth import get_user_model
from apps.jobs import services
alice = get_user_model().objects.get(username="alice")
for priority in (0, 4, 9):
    print(services.job_create(owner=alice, kind="jobs.ticker", params={}, priority=priority).pk)
"""


def test_status_and_purge_on_rabbitmq_count_then_empty_the_queue_and_cancel_its_jobs(stack):
    if not stack.broker_url.startswith("amqp://"):
        pytest.skip("RabbitMQ only (CELERY_BROKER_URL=amqp://…); the Redis purge is tested above")
    from kombu import Connection

    # A vhost no worker consumes, so the three jobs' messages wait there until purged.
    vhost = f"{stack.amqp_vhost}_idle"
    stack._rabbitmqctl("add_vhost", vhost)
    try:
        stack._rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
        broker = stack.broker_url.rsplit("/", 1)[0] + f"/{vhost}"
        env = {"CELERY_BROKER_URL": broker}
        made = subprocess.run([sys.executable, "-c", PENDING_JOBS_SCRIPT], cwd=ROOT, env={**stack.env, **env},
                              capture_output=True, text=True, timeout=120)
        assert made.returncode == 0, made.stderr
        job_ids = made.stdout.split()

        def waiting() -> int:
            with Connection(broker) as conn:
                return conn.default_channel.queue_declare(queue="jobs", passive=True).message_count
        assert waiting() == 3
        report = json.loads(jobcast(stack, "status", "--json", env=env).stdout)
        assert report["health"]["broker"] == "ok" and report["queues"]["jobs"] == 3
        declined = jobcast(stack, "purge", "--queue", "jobs", env=env, input="n\n")
        assert declined.returncode == 1 and "nothing deleted" in declined.stdout and waiting() == 3
        done = jobcast(stack, "purge", "--queue", "jobs", "--yes", env=env)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "purged 3 message(s); 3 pending job(s) cancelled" in done.stdout and waiting() == 0
        assert {stack.job(job_id)["status"] for job_id in job_ids} == {"revoked"}
        assert "is empty" in jobcast(stack, "purge", "--queue", "jobs", env=env).stdout
    finally:
        stack._rabbitmqctl("delete_vhost", vhost)


def test_health_names_an_unreachable_rabbitmq(stack):
    if not stack.broker_url.startswith("amqp://"):
        pytest.skip("RabbitMQ only")
    env = {"CELERY_BROKER_URL": stack.broker_url.rsplit("/", 1)[0] + "/no_such_vhost"}
    report = json.loads(jobcast(stack, "status", "--json", env=env).stdout)
    assert report["health"]["broker"].startswith("error:"), report["health"]
    assert report["health"]["workers"] == "error: broker unreachable"
