"""`GET /api/jobs/<id>/stream/`: one job's events as Server-Sent Events, for any HTTP client.

The same guarantee as the WebSocket stream: each event once, in seq order, resumed exactly
after a drop. Join the job's group first, then read the snapshot and the stored log, then
stream live pushes through a `SequenceCursor` (duplicates of the replay dropped, gaps filled
from the log). The resume point is `Last-Event-ID` (what EventSource sends on reconnect) or
`?after=<seq>`. An async view: an open stream holds no thread, only a task and a queue.
"""
from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db import close_old_connections, connections
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils.translation import gettext
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed, MethodNotAllowed, NotAuthenticated

from apps.jobs import events, log_reads, selectors, states
from apps.jobs.cursor import SequenceCursor

logger = logging.getLogger(__name__)

KEEPALIVE_S = 15.0  # a comment line this often keeps proxies from closing an idle stream
LOG_ONLY_POLL_S = 1.0  # without the channel layer (Redis down), read the log this often

# Reads of open streams run on these few threads, so a thousand streams hold a few database
# connections, not one each: Django gives every request its own thread for thread-sensitive
# calls, and with CONN_MAX_AGE each would keep a connection open for the stream's whole life
# (the reconnect-storm chaos test ran PostgreSQL out of connections that way).
_DB_THREADS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="jobcast-sse-db")


def _db(fn):
    """Run `fn` on the streams' database threads, dropping stale connections as channels does."""
    def call(*args, **kwargs):
        close_old_connections()
        try:
            return fn(*args, **kwargs)
        finally:
            close_old_connections()
    return sync_to_async(call, thread_sensitive=False, executor=_DB_THREADS)


async def job_stream(request: HttpRequest, job_id: str) -> HttpResponse:
    """Snapshot, stored events after the resume point, live events; ends after the terminal one."""
    user, refused = await stream_user(request)
    if refused is not None:
        return refused
    after, error = resume_point(request.headers.get("Last-Event-ID"), request.GET.get("after"))
    if error is not None:
        return JsonResponse(error, status=400)
    job = await _db(selectors.job_for_user)(user, job_id)
    # The session lookup ran in this request's own thread: let go of its connection before streaming.
    await sync_to_async(connections.close_all)()
    if job is None:
        return JsonResponse({"detail": gettext("no such job")}, status=404)
    response = StreamingHttpResponse(_stream(user, job.pk, after), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response


async def stream_user(request: HttpRequest):
    """(user, None) for a GET by a signed-in user (token or session), else (None, the 405/401)."""
    if request.method != "GET":
        return None, JsonResponse({"detail": str(MethodNotAllowed(request.method).detail)},  # DRF's words
                                  status=405, headers={"Allow": "GET"})
    try:
        user = await _authenticated_user(request)
    except AuthenticationFailed as exc:
        return None, _unauthenticated(str(exc.detail))
    if user is None:
        return None, _unauthenticated(str(NotAuthenticated.default_detail))
    return user, None


def resume_point(last_event_id: str | None, after: str | None) -> tuple[int, dict[str, list[str]] | None]:
    """The seq to resume after: Last-Event-ID wins (a browser reconnecting keeps its first URL)."""
    for name, raw in (("Last-Event-ID", last_event_id), ("after", after)):
        if raw is None or (name == "Last-Event-ID" and not raw.strip()):
            continue
        try:
            value = int(raw.strip())
        except ValueError:
            return 0, {name: [gettext("must be an integer")]}
        if value < 0:
            return 0, {name: [gettext("must not be negative")]}
        return value, None
    return 0, None


def sse_frame(event_type: str, data: dict[str, Any], event_id: int | None = None) -> str:
    """One SSE message; json.dumps escapes newlines, so `data` is always a single line."""
    return sse_text_frame(event_type, json.dumps(data, separators=(",", ":")), event_id)


def sse_text_frame(event_type: str, text: str, event_id: int | None = None) -> str:
    """One SSE message whose data is JSON already encoded on one line (a live event's `text`)."""
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {event_type}\ndata: {text}\n\n"


async def _stream(user, job_id, after: int) -> AsyncIterator[str]:
    layer = get_channel_layer()
    group = events.job_group(job_id)
    inbox: asyncio.Queue = asyncio.Queue()
    channel, pump = None, None
    try:
        async with asyncio.timeout(5):
            channel = await layer.new_channel("sse.")
            pump = asyncio.create_task(_pump(layer, channel, inbox))
            await layer.group_add(group, channel)
    except Exception:  # Redis down: the stored log still has every event, read it instead
        logger.warning("SSE stream of job %s without live pushes; reading the log every %.0fs",
                       job_id, LOG_ONLY_POLL_S, exc_info=True)
        channel = None
    try:
        snapshot, replay = await _snapshot_and_events(user, job_id, after)
        if snapshot is None:  # deleted between the check and now
            return
        yield sse_frame("snapshot", snapshot)
        cursor = SequenceCursor()
        cursor.sent(job_id, after)
        sent = cursor.take(job_id, replay)
        for event in sent:
            yield sse_frame(event["event"], event, event["seq"])
        if (sent[-1]["event"] if sent else snapshot["status"]) in states.TERMINAL:
            return
        while True:
            live = channel is not None and not pump.done()
            try:
                message = await asyncio.wait_for(inbox.get(), KEEPALIVE_S if live else LOG_ONLY_POLL_S)
            except TimeoutError:
                yield ": keepalive\n\n"
                batch = await _events_after(job_id, cursor.last(job_id))  # a push lost in Redis still arrives
            else:
                missing = cursor.missing_before(job_id, message["seq"])
                if missing is None:  # already sent
                    continue
                batch = await _events_after(job_id, cursor.last(job_id), before=message["seq"]) if missing else []
                batch.append(message)
            for live_event in cursor.take(job_id, batch):
                yield sse_text_frame(live_event["event"], live_event["text"], live_event["seq"])
                if live_event["event"] in states.TERMINAL:
                    return
    finally:
        if pump is not None:
            pump.cancel()  # cancelling the layer's receive also unsubscribes the channel
        if channel is not None:
            try:
                await layer.group_discard(group, channel)
            except Exception:  # Redis gone: the subscription dies with the connection anyway
                logger.warning("could not leave %s for SSE channel %s", group, channel, exc_info=True)


async def _pump(layer, channel: str, inbox: asyncio.Queue) -> None:
    """Move the channel's messages to a local queue (a timed-out layer receive would unsubscribe)."""
    while True:
        try:
            inbox.put_nowait(await layer.receive(channel))
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("SSE channel %s: receive failed; the stream falls back to reading the log", channel)
            return


_snapshot_and_events = _db(log_reads.snapshot_and_events)


@_db
def _events_after(job_id, after: int, before: int | None = None) -> list[dict[str, Any]]:
    """Stored events with after < seq (< before), what a lost or skipped push left out, shaped as
    live messages (`events.live_message`) so the live loop sends one kind of thing."""
    return [events.live_message(p) for p in events.stored_payloads(job_id, after, before=before)]


@_db
def _token_user(request: HttpRequest):
    result = TokenAuthentication().authenticate(request)
    return result[0] if result else None


async def _authenticated_user(request: HttpRequest):
    """As the REST API: an `Authorization: Token` header (a bad one is refused), else the session."""
    user = await _token_user(request) if request.headers.get("Authorization") else None
    if user is None:
        user = await request.auser()
    return user if user is not None and user.is_authenticated else None


def _unauthenticated(detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=401, headers={"WWW-Authenticate": "Token"})
