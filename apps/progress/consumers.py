"""`/ws/progress/<task_id>/`: celery-progress's WebSocket, fed by the job's event stream.

Frames are celery-progress's `Progress.get_info()` shape; `{"type": "check_task_completion"}`
answers the current state. A task not adopted as a job yet is awaited on the user's own feed
group (staff: the staff group) until its job's first event names it, then the socket follows
that job's group. Unlike celery-progress, only the job's owner (or staff) gets anything.
"""
from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from apps.jobs import close_codes, events, metrics
from apps.progress.payloads import job_for_task, task_payload, unknown_task_payload


@database_sync_to_async
def _lookup(user, task_id: str):
    return job_for_task(user, task_id)


@database_sync_to_async
def _payload(user, task_id: str) -> dict[str, Any] | None:
    job, exists = job_for_task(user, task_id)
    if job is not None:
        return task_payload(job)
    return None if exists else unknown_task_payload()


class TaskProgressConsumer(AsyncJsonWebsocketConsumer):
    """celery-progress's ProgressConsumer, with authentication and ownership.

    The group followed is in `self.groups`, so channels' base class discards it on disconnect.
    """

    async def connect(self) -> None:
        metrics.WS_CONNECTIONS.inc()
        self.job_id: str | None = None
        self.last_sent: dict[str, Any] | None = None
        self.user = self.scope.get("user")
        self.task_id = self.scope["url_route"]["kwargs"]["task_id"]
        if self.user is None or not self.user.is_authenticated:
            return await self._reject(close_codes.UNAUTHENTICATED)
        job, exists = await _lookup(self.user, self.task_id)
        if exists and job is None:
            return await self._reject(close_codes.NOT_FOUND)
        if job is not None:
            self.job_id = str(job.pk)
            await self._follow(events.job_group(job.pk))
        else:
            await self._follow(events.STAFF_GROUP if self.user.is_staff else events.user_group(self.user.pk))
        await self.accept()

    async def _follow(self, group: str) -> None:
        """Follow one group instead of the one followed so far."""
        for old in self.groups:
            await self.channel_layer.group_discard(old, self.channel_name)
        await self.channel_layer.group_add(group, self.channel_name)
        self.groups[:] = [group]

    async def _reject(self, code: int) -> None:
        await self.accept()
        await self.close(code=code)

    async def disconnect(self, code) -> None:
        metrics.WS_CONNECTIONS.dec()

    async def receive(self, text_data=None, bytes_data=None, **kwargs) -> None:
        """celery-progress's JS asks `check_task_completion` on open; anything else is ignored."""
        try:
            content = await self.decode_json(text_data or "")
        except ValueError:
            return
        await self.receive_json(content)

    async def receive_json(self, content: Any, **kwargs) -> None:
        if isinstance(content, dict) and content.get("type") == "check_task_completion":
            await self._send_state(force=True)

    async def job_event(self, message: dict[str, Any]) -> None:
        """A job event: ours → send the new state; while waiting for adoption → is it our task's job?

        Only the message's `job_id` (and `ts`, for the latency metric) is read: the frame is the
        job's state read afresh, celery-progress's shape, not the event (`events.live_message`).
        """
        job_id = message["job_id"]
        if self.job_id is None:
            job, _ = await _lookup(self.user, self.task_id)
            if job is None or str(job.pk) != job_id:
                return
            self.job_id = str(job.pk)
            await self._follow(events.job_group(job.pk))
        if job_id != self.job_id:
            return
        if await self._send_state():
            metrics.event_delivered(message)

    async def _send_state(self, force: bool = False) -> bool:
        payload = await _payload(self.user, self.task_id)
        if payload is None or (payload == self.last_sent and not force):
            return False
        self.last_sent = payload
        await self.send_json(payload)
        return True
