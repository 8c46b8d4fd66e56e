"""WebSocket consumers: one job's stream, and a user's feed of all their jobs.

Replay/live seam: join the group first, then read the stored log, send snapshot and replay,
and drop live events with seq <= the last one sent. Channels handles one message at a time
per consumer, so live events that arrive during the replay wait in the channel and are
filtered afterwards: no gap, no duplicate. A live event that skips ahead (a push was lost)
triggers a read of the missing seqs from the log before it is sent (`cursor.SequenceCursor`).
Both are channels' `AsyncJsonWebsocketConsumer`: the groups in `self.groups` are discarded
for us on disconnect.

A live event costs each socket as little as possible (a feed event goes to every open feed of
staff): its channel message (`events.live_message`) is the text frame `events.record` encoded
once plus the few fields a socket acts on (job_id, seq, ts), sent as it is; and it skips
channels' per-message `close_old_connections` thread hop (a profile of daphne fanning out to
1,000 feeds: that hop and the JSON encoding per socket were most of the CPU per frame); a gap
fill reads the log through `database_sync_to_async`, which closes old connections itself.
"""
from __future__ import annotations

import json
import logging
import uuid
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop
from django.utils.translation.trans_real import parse_accept_lang_header

from apps.jobs import close_codes, events, log_reads, metrics, selectors
from apps.jobs.cursor import SequenceCursor

logger = logging.getLogger(__name__)


@database_sync_to_async
def _job_for_user(user, job_id):
    return selectors.job_for_user(user, job_id)


_snapshot_and_events = database_sync_to_async(log_reads.snapshot_and_events)
_events_in = database_sync_to_async(log_reads.events_in)


def scope_language(scope: dict[str, Any]) -> str:
    """The handshake's language, as LocaleMiddleware picks it: the language cookie, then Accept-Language."""
    wanted = [(scope.get("cookies") or {}).get(settings.LANGUAGE_COOKIE_NAME) or ""]
    header = dict(scope.get("headers") or []).get(b"accept-language", b"").decode("latin-1")
    wanted += [code for code, _quality in parse_accept_lang_header(header) if code != "*"]
    for code in filter(None, wanted):
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


class JsonSocket(AsyncJsonWebsocketConsumer):
    """Shared plumbing: compact JSON, the error frame, actions routed to `action_<name>`, the
    sequence cursor, and sending a live event exactly once."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.cursor = SequenceCursor()

    @classmethod
    async def encode_json(cls, content: dict[str, Any]) -> str:
        return json.dumps(content, separators=(",", ":"))

    async def dispatch(self, message: dict[str, Any]) -> None:
        """Live events straight to `job_event`, without channels' database clean-up hop per message."""
        if message.get("type") == events.JOB_EVENT_MESSAGE:
            await self.job_event(message)
        else:
            await super().dispatch(message)

    async def send_error(self, msgid: str, **params: Any) -> None:
        """An error frame in the handshake's language (issue 17); `msgid` is marked with gettext_noop."""
        with translation.override(scope_language(self.scope)):
            message = gettext(msgid) % params if params else gettext(msgid)
        await self.send_json({"type": "error", "message": message})

    async def receive(self, text_data=None, bytes_data=None, **kwargs) -> None:
        """Parse a client frame; a malformed one gets an error frame, never a crash."""
        if text_data is None:
            await self.send_error(gettext_noop("binary frames are not supported; send JSON text"))
            return
        try:
            content = await self.decode_json(text_data)
        except (ValueError, RecursionError):  # RecursionError: "[[[[…" nested thousands deep
            await self.send_error(gettext_noop("malformed JSON"))
            return
        await self.receive_json(content)

    async def receive_json(self, content: Any, **kwargs) -> None:
        """Route `{"action": name, …}` to `action_<name>`; an unknown action gets an error frame."""
        action = content.get("action") if isinstance(content, dict) else None
        handler = getattr(self, f"action_{action}", None) if isinstance(action, str) and action.isidentifier() else None
        if handler is None:
            if action is None:
                await self.send_error(gettext_noop("missing 'action'"))
            else:
                await self.send_error(gettext_noop("unknown action %(action)s"), action=repr(action))
            return
        await handler(content)

    async def action_ping(self, content: dict[str, Any]) -> None:
        """Keep-alive: answer pong."""
        await self.send_json({"type": "pong"})

    async def join(self, group: str) -> None:
        """Join a group now; it is discarded on disconnect with the rest of `self.groups`."""
        await self.channel_layer.group_add(group, self.channel_name)
        self.groups.append(group)

    async def reject(self, code: int) -> None:
        """Accept then close, so the client sees the application close code."""
        await self.accept()
        await self.close(code=code)

    async def send_replayed(self, job_id: str, replay: list[dict[str, Any]]) -> None:
        """Send stored events, moving the cursor with them."""
        for event in replay:
            await self.send_json(event)
            self.cursor.sent(job_id, event["seq"])

    async def send_live(self, message: dict[str, Any], *, since=None) -> None:
        """A live event (`events.live_message`): drop it if already sent, fill a gap from the
        log first, then send its text, encoded once by the process that stored it.

        `since` limits the gap fill of a job this socket has not seen yet to events emitted
        while it was open (the feed: an event can reach it from another process later than a
        newer one did).
        """
        job_id, seq = message["job_id"], message["seq"]
        first_sight = not self.cursor.knows(job_id)
        missing = self.cursor.missing_before(job_id, seq)
        if missing is None:
            return
        if missing:
            await self.send_replayed(job_id, await _events_in(job_id, missing, since if first_sight else None))
        await self.send(text_data=message["text"])
        metrics.event_delivered(message)
        self.cursor.sent(job_id, seq)

    async def disconnect(self, code) -> None:
        metrics.WS_CONNECTIONS.dec()


class JobConsumer(JsonSocket):
    """`/ws/jobs/<id>/?after=<seq>`: snapshot, stored events after `after`, then live events."""

    async def connect(self) -> None:
        metrics.WS_CONNECTIONS.inc()
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            return await self.reject(close_codes.UNAUTHENTICATED)
        after = _parse_after(self.scope)
        if after is None:
            return await self.reject(close_codes.BAD_REQUEST)
        job = await _job_for_user(user, self.scope["url_route"]["kwargs"]["job_id"])
        if job is None:
            return await self.reject(close_codes.NOT_FOUND)
        job_id = str(job.pk)
        await self.join(events.job_group(job_id))
        await self.accept()
        snapshot, replay = await _snapshot_and_events(user, job_id, after)
        await self.send_json({"type": "snapshot", "job": snapshot})
        self.cursor.sent(job_id, after)
        await self.send_replayed(job_id, replay)

    async def job_event(self, message: dict[str, Any]) -> None:
        """A live event from the channel layer."""
        await self.send_live(message)


class FeedConsumer(JsonSocket):
    """`/ws/jobs/`: live events of all the user's jobs (staff: every job), plus subscriptions."""

    async def connect(self) -> None:
        metrics.WS_CONNECTIONS.inc()
        self.connected_at = timezone.now()
        self.subscribed: set[str] = set()
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            return await self.reject(close_codes.UNAUTHENTICATED)
        self.user = user
        await self.join(events.STAFF_GROUP if user.is_staff else events.user_group(user.pk))
        await self.accept()

    async def job_event(self, message: dict[str, Any]) -> None:
        """A live event of one of the feed's jobs (or a subscribed one).

        First sight of a job: pushes come from several processes (the web process publishes
        `pending`, a worker `started`), so an earlier event emitted while this socket was open
        may still be on its way; it is sent from the log now, or it would later look like a
        duplicate and be dropped.
        """
        await self.send_live(message, since=self.connected_at)

    async def action_subscribe(self, content: dict[str, Any]) -> None:
        """Replay a job's stored events after `after`; keep streaming it if outside the feed."""
        after = content.get("after", 0)
        if not isinstance(after, int) or isinstance(after, bool) or after < 0:
            return await self.send_error(gettext_noop("'after' must be a non-negative integer"))
        job = await _job_for_user(self.user, content.get("job_id"))
        if job is None:
            return await self.send_error(gettext_noop("no such job: %(id)s"), id=repr(content.get("job_id")))
        job_id = str(job.pk)
        in_feed = self.user.is_staff or job.owner_id == self.user.pk
        if not in_feed and job_id not in self.subscribed:
            await self.join(events.job_group(job_id))
            self.subscribed.add(job_id)
        replay = await _events_in(job_id, range(after + 1, 2**31))
        for event in replay:
            await self.send_json(event)
        last = replay[-1]["seq"] if replay else after
        self.cursor.sent(job_id, last)
        await self.send_json({"type": "subscribed", "job_id": job_id, "seq": last})

    async def action_unsubscribe(self, content: dict[str, Any]) -> None:
        """Stop streaming a job that was subscribed to from outside the feed."""
        job_id = content.get("job_id")
        if not isinstance(job_id, str) or not _is_uuid(job_id):
            return await self.send_error(gettext_noop("'job_id' must be a job id (a UUID string)"))
        if job_id in self.subscribed:
            self.subscribed.discard(job_id)
            group = events.job_group(job_id)
            self.groups.remove(group)
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
