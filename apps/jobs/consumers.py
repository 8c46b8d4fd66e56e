"""WebSocket consumers: one job's stream, and a user's feed of all their jobs.

Replay/live seam: join the group first, then read the stored log, send snapshot and replay,
and drop live events with seq <= the last one sent. Channels handles one message at a time
per consumer, so live events that arrive during the replay wait in the channel and are
filtered afterwards: no gap, no duplicate. A live event that skips ahead (a push was lost)
triggers a read of the missing seqs from the log before it is sent.
"""
from __future__ import annotations

import json
import logging
import uuid
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.utils import timezone

from apps.jobs import events, metrics, selectors
from apps.jobs.serializers import job_payload

logger = logging.getLogger(__name__)

CLOSE_BAD_REQUEST, CLOSE_UNAUTHENTICATED, CLOSE_NOT_FOUND = 4400, 4401, 4404


@database_sync_to_async
def _job_for_user(user, job_id):
    return selectors.job_for_user(user, job_id)


@database_sync_to_async
def _snapshot_and_events(user, job_id, after: int):
    job = selectors.job_for_user(user, job_id)
    if job is None:
        return None, []
    return job_payload(job), [events.event_payload(e) for e in selectors.job_events_after(job.pk, after)]


@database_sync_to_async
def _events_between(job_id, after: int, before: int, since=None) -> list[dict[str, Any]]:
    """Stored events after..before (exclusive); with `since`, only those emitted from then on."""
    return [events.event_payload(e) for e in selectors.job_events_after(job_id, after)
            if e.seq < before and (since is None or e.ts >= since)]


class _JsonSocket(AsyncWebsocketConsumer):
    """Shared plumbing: JSON frames, the error frame, actions routed to `action_<name>`."""

    async def send_json(self, content: dict[str, Any]) -> None:
        await self.send(text_data=json.dumps(content, separators=(",", ":")))

    async def send_error(self, message: str) -> None:
        await self.send_json({"type": "error", "message": message})

    async def receive(self, text_data=None, bytes_data=None):
        """Parse a client frame; a malformed or unknown one gets an error frame, never a crash."""
        if text_data is None:
            await self.send_error("binary frames are not supported; send JSON text")
            return
        try:
            content = json.loads(text_data)
        except (ValueError, RecursionError):  # RecursionError: "[[[[…" nested thousands deep
            await self.send_error("malformed JSON")
            return
        action = content.get("action") if isinstance(content, dict) else None
        handler = getattr(self, f"action_{action}", None) if isinstance(action, str) and action.isidentifier() else None
        if handler is None:
            await self.send_error(f"unknown action {action!r}" if action is not None else "missing 'action'")
            return
        await handler(content)

    async def action_ping(self, content: dict[str, Any]) -> None:
        """Keep-alive: answer pong."""
        await self.send_json({"type": "pong"})

    async def reject(self, code: int) -> None:
        """Accept then close, so the client sees the application close code."""
        await self.accept()
        await self.close(code=code)


class JobConsumer(_JsonSocket):
    """`/ws/jobs/<id>/?after=<seq>`: snapshot, stored events after `after`, then live events."""

    async def connect(self) -> None:
        metrics.WS_CONNECTIONS.inc()
        self.group = None
        self.last_seq = 0
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            return await self.reject(CLOSE_UNAUTHENTICATED)
        after = _parse_after(self.scope)
        if after is None:
            return await self.reject(CLOSE_BAD_REQUEST)
        job_id = self.scope["url_route"]["kwargs"]["job_id"]
        job = await _job_for_user(user, job_id)
        if job is None:
            return await self.reject(CLOSE_NOT_FOUND)
        self.job_id = job.pk
        self.group = events.job_group(job.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        snapshot, replay = await _snapshot_and_events(user, job.pk, after)
        await self.send_json({"type": "snapshot", "job": snapshot})
        self.last_seq = after
        for event in replay:
            await self.send_json(event)
            self.last_seq = event["seq"]

    async def disconnect(self, code) -> None:
        metrics.WS_CONNECTIONS.dec()
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def job_event(self, message: dict[str, Any]) -> None:
        """A live event from the channel layer: fill any gap from the log, skip duplicates."""
        event = message["event"]
        if event["seq"] <= self.last_seq:
            return
        if event["seq"] > self.last_seq + 1:
            for missed in await _events_between(self.job_id, self.last_seq, event["seq"]):
                await self.send_json(missed)
        await self.send_json(event)
        metrics.event_delivered(event)
        self.last_seq = event["seq"]


class FeedConsumer(_JsonSocket):
    """`/ws/jobs/`: live events of all the user's jobs (staff: every job), plus subscriptions."""

    async def connect(self) -> None:
        metrics.WS_CONNECTIONS.inc()
        self.connected_at = timezone.now()
        self.groups_joined: list[str] = []
        self.last_seq: dict[str, int] = {}
        self.extra_groups: dict[str, str] = {}
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            return await self.reject(CLOSE_UNAUTHENTICATED)
        self.user = user
        group = events.STAFF_GROUP if user.is_staff else events.user_group(user.pk)
        await self.channel_layer.group_add(group, self.channel_name)
        self.groups_joined.append(group)
        await self.accept()

    async def disconnect(self, code) -> None:
        metrics.WS_CONNECTIONS.dec()
        for group in self.groups_joined + list(self.extra_groups.values()):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def job_event(self, message: dict[str, Any]) -> None:
        event = message["event"]
        job_id = event["job_id"]
        last = self.last_seq.get(job_id)
        if last is not None:
            if event["seq"] <= last:
                return
            if event["seq"] > last + 1:
                for missed in await _events_between(job_id, last, event["seq"]):
                    await self.send_json(missed)
        elif event["seq"] > 1:
            # First sight of this job. Pushes come from several processes (the web process
            # publishes `pending`, a worker `started`), so an earlier event emitted while this
            # socket was open may still be on its way: send it from the log now, or it would
            # later look like a duplicate and be dropped.
            for missed in await _events_between(job_id, 0, event["seq"], since=self.connected_at):
                await self.send_json(missed)
        await self.send_json(event)
        metrics.event_delivered(event)
        self.last_seq[job_id] = event["seq"]

    async def action_subscribe(self, content: dict[str, Any]) -> None:
        """Replay a job's stored events after `after`; keep streaming it if outside the feed."""
        after = content.get("after", 0)
        if not isinstance(after, int) or isinstance(after, bool) or after < 0:
            return await self.send_error("'after' must be a non-negative integer")
        job = await _job_for_user(self.user, content.get("job_id"))
        if job is None:
            return await self.send_error(f"no such job: {content.get('job_id')!r}")
        job_id = str(job.pk)
        in_feed = self.user.is_staff or job.owner_id == self.user.pk
        if not in_feed and job_id not in self.extra_groups:
            group = events.job_group(job_id)
            await self.channel_layer.group_add(group, self.channel_name)
            self.extra_groups[job_id] = group
        replay = await _events_between(job_id, after, 2**31)
        for event in replay:
            await self.send_json(event)
        last = replay[-1]["seq"] if replay else after
        self.last_seq[job_id] = max(self.last_seq.get(job_id, 0), last)
        await self.send_json({"type": "subscribed", "job_id": job_id, "seq": last})

    async def action_unsubscribe(self, content: dict[str, Any]) -> None:
        """Stop streaming a job that was subscribed to from outside the feed."""
        job_id = content.get("job_id")
        if not isinstance(job_id, str) or not _is_uuid(job_id):
            return await self.send_error("'job_id' must be a job id (a UUID string)")
        group = self.extra_groups.pop(job_id, None)
        if group:
            await self.channel_layer.group_discard(group, self.channel_name)
        await self.send_json({"type": "unsubscribed", "job_id": job_id})


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
        return True
    except ValueError:
        return False


def _parse_after(scope) -> int | None:
    """`?after=<seq>` (default 0); None when it is not a non-negative integer."""
    query = parse_qs(scope.get("query_string", b"").decode("latin1"))
    values = query.get("after")
    if not values:
        return 0
    try:
        after = int(values[-1])
    except ValueError:
        return None
    return after if after >= 0 else None
