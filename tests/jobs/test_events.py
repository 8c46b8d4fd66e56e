"""The event path: atomic store with gap-free seq under concurrency, and source coalescing."""
import json
import threading

import pytest
from django.db import close_old_connections

from apps.jobs import events, publisher, states
from apps.jobs.context import JobContext
from apps.jobs.exceptions import JobCancelled
from apps.jobs.models import Event, Job
from tests.database_url import subprocess_database_url

pytestmark = pytest.mark.django_db(transaction=True)


def started_job(owner) -> Job:
    job = Job.objects.create(owner=owner, kind="jobs.ticker", params={})
    events.record(job.pk, states.PENDING)
    events.record(job.pk, states.STARTED)
    return Job.objects.get(pk=job.pk)


def test_two_writers_on_one_job_get_gap_free_unique_seqs(alice):
    job = started_job(alice)
    errors = []

    def writer(n):
        try:
            for i in range(40):
                events.record(job.pk, states.LOG, message=f"writer {n} line {i}")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    seqs = list(Event.objects.filter(job=job).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, 2 + 3 * 40 + 1))
    assert Job.objects.get(pk=job.pk).seq == seqs[-1]


def test_record_refuses_events_after_the_end_and_stores_nothing(alice):
    job = started_job(alice)
    events.record(job.pk, states.REVOKED, message="cancelled")
    with pytest.raises(states.TransitionRefused):
        events.record(job.pk, states.SUCCESS, result={})
    assert Event.objects.filter(job=job).count() == 3
    job.refresh_from_db()
    assert job.status == "revoked" and job.finished_at is not None and job.result is None


def test_payload_shape_and_timestamp_format(alice):
    job = started_job(alice)
    payload = events.record(job.pk, states.PROGRESS, progress=57.5, message="row 23 of 40", data={"row": 23})
    assert payload == {**payload, "type": "event", "job_id": str(job.pk), "seq": 3, "event": "progress",
                       "status": "started", "progress": 57.5, "message": "row 23 of 40", "data": {"row": 23}}
    date, _, rest = payload["ts"].partition("T")
    assert rest.endswith("+00:00") and len(rest.split(".")[1]) == len("000000+00:00")


def test_progress_is_coalesced_but_the_last_value_before_the_end_is_kept(alice):
    job = started_job(alice)
    ctx = JobContext(job, min_interval_ms=10_000)
    for i in range(1, 501):
        ctx.progress(i, 500)
    ctx.stage("writing")  # flushes the held-back value first
    ctx.close()
    kinds = list(Event.objects.filter(job=job).order_by("seq").values_list("event", "progress"))
    assert kinds[2:] == [("progress", 0.2), ("progress", 100.0), ("stage", 100.0)]


def test_interval_zero_sends_every_progress_call(alice):
    job = started_job(alice)
    ctx = JobContext(job, min_interval_ms=0)
    for i in range(1, 21):
        ctx.progress(i * 5)
    assert Event.objects.filter(job=job, event="progress").count() == 20


def test_progress_after_cancel_raises_job_cancelled(alice):
    job = started_job(alice)
    ctx = JobContext(job, min_interval_ms=10_000)
    ctx.progress(10)
    events.record(job.pk, states.REVOKED)
    with pytest.raises(JobCancelled):
        ctx.progress(20)  # coalesced, yet the cancellation is noticed
    with pytest.raises(JobCancelled):
        ctx.log("still here?")
    ctx.close()


def test_events_from_an_old_attempt_are_dropped(alice):
    job = started_job(alice)
    ctx = JobContext(job, min_interval_ms=0)
    events.record(job.pk, states.RETRY, message="worker lost")  # attempt 2 begins
    with pytest.raises(JobCancelled):
        ctx.progress(50)
    assert Job.objects.get(pk=job.pk).attempt == 2


def test_a_held_back_value_goes_out_when_the_window_ends_even_if_the_body_sleeps(alice):
    from livestack.stack import wait_until

    job = started_job(alice)
    ctx = JobContext(job, min_interval_ms=200)
    ctx.progress(10)
    ctx.progress(35)  # held: inside the window, and the body makes no further call
    wait_until(lambda: Event.objects.filter(job=job, event="progress", progress=35).exists(), 10,
               what="the held progress value to be flushed by the timer")
    ctx.close()


def test_group_channel_names_are_the_channel_layers_own():
    """The pipelined publisher names Redis channels itself; they must be the ones daphne subscribes to."""
    from channels_redis.pubsub import RedisPubSubLoopLayer

    layer = RedisPubSubLoopLayer(hosts=["redis://127.0.0.1:1"], prefix="asgi")
    for group in ("job.1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed", "user.7", events.STAFF_GROUP):
        assert publisher.group_channel_name("asgi", group) == layer._get_group_channel_name(group)


def test_a_burst_of_pushes_arrives_complete_and_in_order_on_every_group():
    """600 events published back to back (batched into pipelined writes) reach a subscriber of
    the job group, the owner's group and the staff group in seq order, each exactly once."""
    import asyncio
    import uuid

    from channels.layers import get_channel_layer

    job_id, owner_id, n = str(uuid.uuid4()), 424242, 600

    async def run() -> dict[str, list[int]]:
        layer = get_channel_layer()
        channels = {}
        for group in (events.job_group(job_id), events.user_group(owner_id), events.STAFF_GROUP):
            channels[group] = await layer.new_channel()
            await layer.group_add(group, channels[group])
        groups = events.event_groups(job_id, owner_id)
        await asyncio.to_thread(lambda: [
            publisher.publish(groups, {"type": events.JOB_EVENT_MESSAGE, "job_id": job_id, "seq": seq})
            for seq in range(1, n + 1)])
        got: dict[str, list[int]] = {group: [] for group in channels}
        for group, channel in channels.items():
            while len(got[group]) < n:
                message = await asyncio.wait_for(layer.receive(channel), 30)
                if message["job_id"] == job_id:
                    got[group].append(message["seq"])
        await layer.flush()
        return got

    got = asyncio.run(run())
    assert all(seqs == list(range(1, n + 1)) for seqs in got.values()), {g: s[:10] for g, s in got.items()}
    assert publisher.flush(timeout=10)


WRITER_SCRIPT = """
import sys, django
django.setup()
from apps.jobs import events, states
for i in range(int(sys.argv[2])):
    events.record(sys.argv[1], states.LOG, message=f"process {sys.argv[3]} line {i}")
"""


def test_two_processes_writing_one_job_get_gap_free_unique_seqs(alice, settings):
    """Row locks across connections of separate processes (InnoDB, PostgreSQL) or SQLite's write lock."""
    import os
    import subprocess
    import sys

    job = started_job(alice)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "project.settings", "DATABASE_URL": subprocess_database_url(),
           "CHANNEL_LAYER_URL": settings.TEST_REDIS_URL, "REDIS_URL": settings.TEST_REDIS_URL}
    writers = [subprocess.Popen([sys.executable, "-c", WRITER_SCRIPT, str(job.pk), "30", str(n)], env=env,
                                stderr=subprocess.PIPE, text=True) for n in range(2)]
    for i in range(30):
        events.record(job.pk, states.LOG, message=f"test process line {i}")
    for writer in writers:
        assert writer.wait(120) == 0, writer.stderr.read()
    seqs = list(Event.objects.filter(job=job).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, 2 + 3 * 30 + 1))
    assert Job.objects.get(pk=job.pk).seq == seqs[-1]


def test_chinese_text_and_emoji_survive_the_event_store(alice):
    """utf8mb4 on MariaDB/MySQL: 4-byte characters in messages, stages and JSON data round-trip."""
    job = started_job(alice)
    text = "第一页：体检报告 🩺✅ 😀"
    events.record(job.pk, states.PROGRESS, progress=50, stage="解析 📄", message=text, data={"标题": "血常规 🧪"})
    stored = Event.objects.filter(job=job).order_by("-seq").first()
    assert (stored.stage, stored.message, stored.data) == ("解析 📄", text, {"标题": "血常规 🧪"})
    assert Job.objects.get(pk=job.pk).message == text
    assert Job.objects.filter(params={}, message__contains="🩺").count() == 1


def test_the_pushed_message_carries_the_event_once_as_its_frame_text(alice, monkeypatch):
    """No dict copy of the event rides along (each daphne decodes the message once per socket):
    the frame text, and the scalars streams route and dedupe on, which agree with it."""
    job = started_job(alice)
    pushed = []
    monkeypatch.setattr(publisher, "publish", lambda groups, message: pushed.append(message))
    stored = events.record(job.pk, states.PROGRESS, progress=40, message="row 4", data={"current": 4, "total": 10})
    (message,) = pushed
    assert json.loads(message["text"]) == stored
    assert {k: v for k, v in message.items() if k != "text"} == {
        "type": events.JOB_EVENT_MESSAGE, "job_id": str(job.pk), "seq": stored["seq"],
        "event": "progress", "ts": stored["ts"]}
