"""`GET /api/jobs/stream/`: the user's feed (live events of all their jobs; staff: every job) as SSE.

The Server-Sent Events twin of the `/ws/jobs/` feed, for networks that refuse WebSockets (the
JS client's feed falls back to it). The stream joins the feed's group, then says `event: ready`:
from there on every event of the user's jobs is pushed, each once and in seq order per job (a
`SequenceCursor`; a push that skips ahead is preceded by the missed seqs from the log, as on the
feed socket). A feed has no single resume point (seqs are per job), so its messages carry no
`id:`; a reconnecting client catches up on the jobs it knows by reading `events/?after=<seq>`
after `ready` (the join came first, so nothing falls between the read and the pushes).
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db import connections
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone

from apps.jobs import events, log_reads
from apps.jobs.cursor import SequenceCursor
from apps.jobs.sse import KEEPALIVE_S, _db, _pump, sse_frame, sse_text_frame, stream_user

logger = logging.getLogger(__name__)


async def feed_stream(request: HttpRequest) -> HttpResponse:
    """`ready`, then the live events of the user's jobs until the client hangs up."""
    user, refused = await stream_user(request)
    if refused is not None:
        return refused
    await sync_to_async(connections.close_all)()  # the session lookup's connection: not held while streaming
    group = events.STAFF_GROUP if user.is_staff else events.user_group(user.pk)
    response = StreamingHttpResponse(_stream(group), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response


async def _stream(group: str) -> AsyncIterator[str]:
    layer = get_channel_layer()
    inbox: asyncio.Queue = asyncio.Queue()
    channel = await layer.new_channel("ssefeed.")
    pump = asyncio.create_task(_pump(layer, channel, inbox))
    connected_at = timezone.now()
    cursor = SequenceCursor()
    try:
        await layer.group_add(group, channel)
        yield sse_frame("ready", {"type": "ready"})
        while not pump.done():
            try:
                message = await asyncio.wait_for(inbox.get(), KEEPALIVE_S)
            except TimeoutError:
                yield ": keepalive\n\n"
                continue
            job_id = message["job_id"]
            first_sight = not cursor.knows(job_id)
            missing = cursor.missing_before(job_id, message["seq"])
            if missing is None:  # already sent
                continue
            batch = await _events_in(job_id, missing, connected_at if first_sight else None) if missing else []
            for sent in cursor.take(job_id, [*batch, message]):
                yield sse_text_frame(sent["event"], sent["text"])
    finally:
        pump.cancel()
        try:
            await layer.group_discard(group, channel)
        except Exception:  # Redis gone: the subscription dies with the connection anyway
            logger.warning("could not leave %s for SSE feed channel %s", group, channel, exc_info=True)


@_db
def _events_in(job_id: str, seqs: range, since=None) -> list[dict]:
    """Stored events in `seqs` as live messages (`events.live_message`); with `since`, only those
    emitted while this stream was open (first sight of a job: its earlier events are not the
    feed's to send)."""
    return [events.live_message(p) for p in log_reads.events_in(job_id, seqs, since)]
