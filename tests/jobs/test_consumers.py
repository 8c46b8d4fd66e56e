"""Consumers over channels' WebsocketCommunicator with the real Redis pub/sub layer."""

import json

import pytest
from asgiref.sync import sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from apps.jobs import events, publisher, states
from apps.jobs.models import Event, Job
from apps.jobs.routing import websocket_urlpatterns

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

app = URLRouter(websocket_urlpatterns)


@sync_to_async
def make_job(owner, logs: int = 0) -> Job:
    job = Job.objects.create(owner=owner, kind="jobs.ticker", params={})
    events.record(job.pk, states.PENDING)
    events.record(job.pk, states.STARTED)
    for i in range(logs):
        events.record(job.pk, states.LOG, message=f"line {i}")
    publisher.flush()  # these pushes go out before the test connects its sockets
    return job


async def connect(path: str, user):
    comm = WebsocketCommunicator(app, path)
    comm.scope["user"] = user
    connected, code = await comm.connect()
    return comm, connected, code


async def test_snapshot_then_replay_after_then_live(alice):
    job = await make_job(alice, logs=3)
    comm, connected, _ = await connect(f"/ws/jobs/{job.pk}/?after=2", alice)
    assert connected
    snapshot = await comm.receive_json_from(5)
    assert snapshot["type"] == "snapshot" and snapshot["job"]["seq"] == 5
    assert [(await comm.receive_json_from(5))["seq"] for _ in range(3)] == [3, 4, 5]
    await sync_to_async(events.record)(job.pk, states.PROGRESS, progress=40)
    live = await comm.receive_json_from(10)
    assert live["seq"] == 6 and live["event"] == "progress"
    await comm.send_json_to({"action": "ping"})
    assert await comm.receive_json_from(5) == {"type": "pong"}
    await comm.send_to(text_data="{broken")
    assert (await comm.receive_json_from(5))["type"] == "error"
    await comm.disconnect()


async def test_other_users_job_closes_4404_and_bad_after_4400(alice, bob):
    job = await make_job(alice)
    comm, connected, _ = await connect(f"/ws/jobs/{job.pk}/", bob)
    assert connected and (await comm.receive_output(5)) == {"type": "websocket.close", "code": 4404}
    comm, connected, _ = await connect(f"/ws/jobs/{job.pk}/?after=-1", alice)
    assert (await comm.receive_output(5))["code"] == 4400
    comm, connected, _ = await connect("/ws/jobs/not-a-uuid/", alice)
    assert (await comm.receive_output(5))["code"] == 4404


async def test_anonymous_closes_4401():
    from django.contrib.auth.models import AnonymousUser

    comm, connected, _ = await connect("/ws/jobs/", AnonymousUser())
    assert connected and (await comm.receive_output(5))["code"] == 4401


async def test_live_gap_is_filled_from_the_stored_log(alice):
    job = await make_job(alice)
    comm, _, _ = await connect(f"/ws/jobs/{job.pk}/?after=0", alice)
    await comm.receive_json_from(5)  # snapshot
    assert [(await comm.receive_json_from(5))["seq"] for _ in range(2)] == [1, 2]

    def store_seq_3_whose_push_is_lost():
        from django.utils import timezone

        Event.objects.create(job_id=job.pk, seq=3, event="log", status="started", message="lost push",
                             ts=timezone.now())
        Job.objects.filter(pk=job.pk).update(seq=3)

    await sync_to_async(store_seq_3_whose_push_is_lost)()
    await sync_to_async(events.record)(job.pk, states.LOG, message="pushed")
    filled, live = await comm.receive_json_from(5), await comm.receive_json_from(5)
    assert (filled["seq"], filled["message"]) == (3, "lost push")
    assert (live["seq"], live["message"]) == (4, "pushed")
    await comm.disconnect()


async def test_feed_gets_own_jobs_only_and_staff_gets_all(alice, bob, staff):
    mine = await make_job(alice)
    feed, _, _ = await connect("/ws/jobs/", alice)
    staff_feed, _, _ = await connect("/ws/jobs/", staff)
    other = await make_job(bob)
    await sync_to_async(events.record)(other.pk, states.LOG, message="bob's")
    await sync_to_async(events.record)(mine.pk, states.LOG, message="alice's")
    got = await feed.receive_json_from(10)
    assert got["job_id"] == str(mine.pk) and got["message"] == "alice's"
    staff_seen = {(await staff_feed.receive_json_from(10))["job_id"] for _ in range(4)}
    assert staff_seen == {str(mine.pk), str(other.pk)}
    await feed.send_json_to({"action": "subscribe", "job_id": str(other.pk), "after": 0})
    assert (await feed.receive_json_from(5))["type"] == "error"
    await feed.send_json_to({"action": "subscribe", "job_id": str(mine.pk), "after": 1})
    replay = [await feed.receive_json_from(5) for _ in range(3)]
    assert [f.get("seq") for f in replay[:2]] == [2, 3] and replay[2] == {
        "type": "subscribed", "job_id": str(mine.pk), "seq": 3}
    await feed.disconnect()
    await staff_feed.disconnect()


async def test_feed_does_not_drop_an_event_whose_push_arrives_after_a_later_one(alice):
    feed, _, _ = await connect("/ws/jobs/", alice)

    def create_job_whose_pending_push_is_late():
        from django.utils import timezone

        job = Job.objects.create(owner=alice, kind="jobs.ticker", params={})
        # seq 1 stored (its push still on its way from another process), then seq 2 pushed.
        Event.objects.create(job_id=job.pk, seq=1, event="pending", status="pending", ts=timezone.now())
        Job.objects.filter(pk=job.pk).update(seq=1)
        events.record(job.pk, states.STARTED)
        return job

    job = await sync_to_async(create_job_whose_pending_push_is_late)()
    first, second = await feed.receive_json_from(5), await feed.receive_json_from(5)
    assert (first["job_id"], first["seq"], second["seq"]) == (str(job.pk), 1, 2)
    await feed.disconnect()


async def test_a_live_frame_is_byte_for_byte_the_replayed_frame_of_the_same_event(alice):
    """The live frame is the text the storing process encoded, the replay is encoded by the
    socket: a client cannot tell them apart (non-ASCII and nested data included)."""
    job = await make_job(alice)
    follower, _, _ = await connect(f"/ws/jobs/{job.pk}/?after=2", alice)
    await follower.receive_json_from(5)  # snapshot
    feed, _, _ = await connect("/ws/jobs/", alice)
    await sync_to_async(events.record)(job.pk, states.LOG, message="第 3 行 ✓ \"quoted\"\n",
                                       # keys in jsonb's order (by length, then bytes): PostgreSQL
                                       # gives a stored object back in that order, not the written one
                                       data={"x": [1, 2.5, None], "i18n": {"msgid": "row %(n)s", "params": {"n": 3}}})
    live, on_feed = await follower.receive_from(10), await feed.receive_from(10)
    later, _, _ = await connect(f"/ws/jobs/{job.pk}/?after=2", alice)
    await later.receive_json_from(5)  # snapshot
    replayed = await later.receive_from(5)
    assert live == on_feed == replayed
    stored = await sync_to_async(lambda: events.event_payload(Event.objects.get(job_id=job.pk, seq=3)))()
    assert json.loads(live) == stored
    for comm in (follower, feed, later):
        await comm.disconnect()
