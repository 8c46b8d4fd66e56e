"""The SSE view in-process: with the channel layer unreachable it still streams, from the log."""
import asyncio
import json

import pytest
from asgiref.sync import sync_to_async
from channels.layers import channel_layers
from django.test import AsyncClient

from apps.jobs import events, publisher, sse, states
from apps.jobs.models import Job

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def dead_channel_layer(settings, monkeypatch):
    """A channel layer whose Redis refuses connections, and a short log poll."""
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
                                           "CONFIG": {"hosts": ["redis://127.0.0.1:1"]}}}
    monkeypatch.setattr(sse, "LOG_ONLY_POLL_S", 0.05)
    # The publisher builds its layer once per process: give this test its own, and the next tests theirs back.
    monkeypatch.setattr(publisher, "_process", publisher._Process())
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


async def test_without_redis_the_stream_reads_new_events_from_the_log(alice, dead_channel_layer):
    job = await Job.objects.acreate(owner=alice, kind="jobs.ticker", params={})
    await sync_to_async(events.record)(job.pk, states.PENDING)
    await sync_to_async(events.record)(job.pk, states.STARTED)
    client = AsyncClient()
    await client.aforce_login(alice)
    response = await client.get(f"/api/jobs/{job.pk}/stream/?after=1")
    assert response.status_code == 200 and response["Content-Type"] == "text/event-stream"
    chunks = aiter(response.streaming_content)
    snapshot = (await asyncio.wait_for(anext(chunks), 10)).decode()
    assert snapshot.startswith("event: snapshot\n")
    assert (await asyncio.wait_for(anext(chunks), 10)).decode().startswith("id: 2\nevent: started\n")
    await sync_to_async(events.record)(job.pk, states.SUCCESS, result={"ok": True})
    frames = []
    async for chunk in chunks:  # ends by itself after the terminal event
        frames.append(chunk.decode())
    assert [f for f in frames if not f.startswith(":")] == [frames[-1]]
    assert frames[-1].startswith("id: 3\nevent: success\n")


async def test_the_stream_is_in_the_openapi_document_and_its_errors_match_it(alice):
    """/api/schema/ documents the SSE endpoint; its 400, 401 and 404 answers have the shapes it names."""
    from tests.response_schema import check, openapi, response_schema

    path = "/api/jobs/{job_id}/stream/"
    operation = openapi()["paths"][path]["get"]
    assert "text/event-stream" in operation["responses"]["200"]["content"]
    assert {p["name"] for p in operation["parameters"]} == {"job_id", "after", "Last-Event-ID"}
    anonymous = await AsyncClient().get("/api/jobs/00000000-0000-0000-0000-000000000000/stream/")
    assert anonymous.status_code == 401
    check(anonymous.json(), response_schema(path, "GET", 401))
    client = AsyncClient()
    await client.aforce_login(alice)
    missing = await client.get("/api/jobs/00000000-0000-0000-0000-000000000000/stream/")
    assert missing.status_code == 404
    check(missing.json(), response_schema(path, "GET", 404))
    bad = await client.get("/api/jobs/00000000-0000-0000-0000-000000000000/stream/?after=x")
    assert bad.status_code == 400 and "after" in bad.json()
    check(bad.json(), response_schema(path, "GET", 400))


async def test_the_feed_stream_is_documented_and_refuses_the_anonymous_as_documented():
    from tests.response_schema import check, openapi, response_schema

    operation = openapi()["paths"]["/api/jobs/stream/"]["get"]
    assert "text/event-stream" in operation["responses"]["200"]["content"]
    anonymous = await AsyncClient().get("/api/jobs/stream/")
    assert anonymous.status_code == 401
    check(anonymous.json(), response_schema("/api/jobs/stream/", "GET", 401))


async def _next_message(chunks) -> str:
    """The stream's next SSE message, past keep-alive comments."""
    while True:
        chunk = (await asyncio.wait_for(anext(chunks), 10)).decode()
        if not chunk.startswith(":"):
            return chunk


async def test_a_live_sse_message_is_byte_for_byte_the_replayed_one(alice):
    """Live, an SSE message's data is the text the storing process encoded; replayed, the
    stream encodes the stored event: the same bytes (the feed's message has no `id:` line)."""
    job = await Job.objects.acreate(owner=alice, kind="jobs.ticker", params={})
    await sync_to_async(events.record)(job.pk, states.PENDING)
    await sync_to_async(events.record)(job.pk, states.STARTED)
    await sync_to_async(publisher.flush)()
    client = AsyncClient()
    await client.aforce_login(alice)
    follow = aiter((await client.get(f"/api/jobs/{job.pk}/stream/?after=2")).streaming_content)
    assert (await _next_message(follow)).startswith("event: snapshot\n")
    feed = aiter((await client.get("/api/jobs/stream/")).streaming_content)
    assert (await _next_message(feed)).startswith("event: ready\n")
    await sync_to_async(events.record)(job.pk, states.LOG, message="第 3 行 ✓ \"quoted\"\n",
                                       data={"x": [1, 2.5, None]})
    live, on_feed = await _next_message(follow), await _next_message(feed)
    later = aiter((await client.get(f"/api/jobs/{job.pk}/stream/?after=2")).streaming_content)
    await _next_message(later)  # snapshot
    replayed = await _next_message(later)
    stored = await sync_to_async(lambda: events.event_payload(job.events.get(seq=3)))()
    assert live == replayed == f"id: 3\nevent: log\ndata: {json.dumps(stored, separators=(',', ':'))}\n\n"
    assert on_feed == replayed.removeprefix("id: 3\n")
    for stream in (follow, feed, later):
        await stream.aclose()
