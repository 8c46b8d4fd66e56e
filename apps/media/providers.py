"""External generation providers and the scanner that finishes the jobs waiting on them.

The `http` provider speaks a small REST protocol (docs/media.md):

    POST   {base}/tasks                      {"kind", "params"}  → {"id"}
    GET    {base}/tasks/{id}                 → {"status": queued|running|succeeded|failed,
                                                "progress"?, "message"?, "error"?, "outputs"?: [names]}
    GET    {base}/tasks/{id}/outputs/{name}  → the file's bytes
    DELETE {base}/tasks/{id}                 (best effort, when the job is cancelled)

A kind submits, records a ProviderTask and raises JobDeferred: the job stays `started` in the
stage `waiting_for_provider`. `provider_tasks_scan` (beat, every MEDIA_PROVIDER_SCAN_INTERVAL_S)
polls each pending task, reports progress, downloads the outputs and finishes or fails the job,
and gives up after MEDIA_PROVIDER_DEADLINE_S.
"""
from __future__ import annotations

import logging
import re
from datetime import timedelta
from functools import partial
from typing import Any

import httpx
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from apps.jobs import services, states
from apps.jobs.context import JobContext
from apps.jobs.exceptions import JobDeferred
from apps.jobs.messages import event_message
from apps.jobs.models import Job
from apps.media.files import file_payload, media_file_save
from apps.media.models import ProviderTask

logger = logging.getLogger(__name__)

WAITING_STAGE = "waiting_for_provider"
_SAFE_OUTPUT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")


class ProviderError(RuntimeError):
    """The provider refused the work or reported that it failed."""


def http_provider_configured() -> bool:
    return bool(settings.MEDIA_HTTP_PROVIDER_URL)


def _client() -> httpx.Client:
    token = settings.MEDIA_HTTP_PROVIDER_TOKEN
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=settings.MEDIA_HTTP_PROVIDER_URL.rstrip("/"), headers=headers,
                        timeout=settings.MEDIA_HTTP_PROVIDER_TIMEOUT_S)


def provider_submit(*, ctx: JobContext, kind: str, params: dict[str, Any]) -> None:
    """Hand the work to the http provider, remember its id, and defer the job (raises JobDeferred)."""
    with _client() as client:
        response = client.post("/tasks", json={"kind": kind, "params": params})
    if response.status_code >= 500:
        response.raise_for_status()  # the kind retries server errors and transport errors
    if response.status_code not in (200, 201, 202):
        raise ProviderError(f"provider refused the task: HTTP {response.status_code} {response.text[:300]}")
    external_id = str(response.json().get("id") or "")
    if not external_id:
        raise ProviderError("provider accepted the task but returned no id")
    ProviderTask.objects.update_or_create(
        job_id=ctx.job_id,
        defaults={"provider": "http", "external_id": external_id, "state": ProviderTask.PENDING,
                  "provider_status": "submitted", "polls": 0, "claimed_until": None, "finished_at": None,
                  "deadline_at": timezone.now() + timedelta(seconds=settings.MEDIA_PROVIDER_DEADLINE_S)},
    )
    ctx.stage(WAITING_STAGE, message=event_message("submitted to the http provider as %(id)s", id=external_id),
              provider="http", external_id=external_id)
    raise JobDeferred(f"waiting for provider task {external_id}")


def provider_tasks_scan(*, now=None) -> dict[str, int]:
    """Poll every pending provider task once; returns how many ended in each way (for logs)."""
    now = now or timezone.now()
    counts = {"polled": 0, "succeeded": 0, "failed": 0, "expired": 0, "cancelled": 0}
    due = (ProviderTask.objects.filter(state=ProviderTask.PENDING)
           .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
           .order_by("last_polled_at", "submitted_at")
           .values_list("pk", flat=True)[:settings.MEDIA_PROVIDER_SCAN_BATCH])
    for pk in list(due):
        # Claim it: a scan that overlaps this one (a slow download) skips tasks claimed here.
        claimed = (ProviderTask.objects.filter(pk=pk, state=ProviderTask.PENDING)
                   .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
                   .update(claimed_until=now + timedelta(seconds=settings.MEDIA_PROVIDER_CLAIM_S)))
        if not claimed:
            continue
        task = ProviderTask.objects.select_related("job").get(pk=pk)
        try:
            outcome = provider_task_poll(task, now=now)
        finally:
            ProviderTask.objects.filter(pk=pk).update(claimed_until=None)
        counts["polled"] += 1
        if outcome in counts:
            counts[outcome] += 1
    return counts


def provider_task_poll(task: ProviderTask, *, now=None) -> str:
    """Advance one pending task: progress, success (download outputs), failure, expiry or cancel."""
    now = now or timezone.now()
    job_status = Job.objects.values_list("status", flat=True).get(pk=task.job_id)
    if job_status in states.TERMINAL:
        _provider_cancel(task)
        return _close(task, ProviderTask.CANCELLED, now)
    if now >= task.deadline_at:
        return _expire(task, now)
    try:
        with _client() as client:
            response = client.get(f"/tasks/{task.external_id}")
            response.raise_for_status()
            info = response.json()
            status = str(info.get("status", "")).lower()
            ProviderTask.objects.filter(pk=task.pk).update(polls=task.polls + 1, last_polled_at=now,
                                                           provider_status=status[:50])
            if status == "succeeded":
                return _succeed(task, client, info, now)
    except (httpx.HTTPError, ValueError) as exc:
        # The provider is unreachable or answered garbage: try again next scan, until the deadline.
        logger.warning("provider task %s (job %s): poll failed: %s", task.external_id, task.job_id, exc)
        ProviderTask.objects.filter(pk=task.pk).update(last_polled_at=now, provider_status="unreachable")
        return "unreachable"
    if status == "failed":
        message = str(info.get("error") or "the provider reported a failure")[:1000]
        _finish_job(lambda: services.job_fail(job_id=task.job_id, error_type="ProviderError",
                                              message=f"provider task {task.external_id} failed: {message}"))
        return _close(task, ProviderTask.FAILED, now)
    progress = info.get("progress")
    if isinstance(progress, (int, float)):
        try:
            services.job_report(job_id=task.job_id, event=states.PROGRESS, progress=float(progress),
                                message=str(info.get("message") or f"provider: {status}")[:500],
                                data={"provider_status": status})
        except states.TransitionRefused:
            return _close(task, ProviderTask.CANCELLED, now)
    return "pending"


def _succeed(task: ProviderTask, client: httpx.Client, info: dict[str, Any], now) -> str:
    outputs = [str(name) for name in info.get("outputs") or []]
    saved = []
    for name in outputs:
        if not _SAFE_OUTPUT.match(name):
            _finish_job(partial(services.job_fail, job_id=task.job_id, error_type="ProviderError",
                                message=f"provider returned an unsafe output name {name!r}"))
            return _close(task, ProviderTask.FAILED, now)
        response = client.get(f"/tasks/{task.external_id}/outputs/{name}")
        response.raise_for_status()
        saved.append(media_file_save(job_id=task.job_id, name=name, content=response.content))
    result = {"provider": task.provider, "external_id": task.external_id,
              "files": [file_payload(f) for f in saved]}
    _finish_job(lambda: services.job_succeed(job_id=task.job_id, result=result,
                                             message=f"provider delivered {len(saved)} file(s)"))
    return _close(task, ProviderTask.SUCCEEDED, now)


def _expire(task: ProviderTask, now) -> str:
    waited = (now - task.submitted_at).total_seconds()
    _finish_job(lambda: services.job_fail(
        job_id=task.job_id, error_type="ProviderTimeout",
        message=f"provider task {task.external_id} did not finish within {settings.MEDIA_PROVIDER_DEADLINE_S:g}s "
                f"(waited {waited:.0f}s)"))
    _provider_cancel(task)
    return _close(task, ProviderTask.EXPIRED, now)


def _finish_job(finish) -> None:
    try:
        finish()
    except states.TransitionRefused:
        pass  # the user cancelled meanwhile: nothing to finish


def _close(task: ProviderTask, state: str, now) -> str:
    ProviderTask.objects.filter(pk=task.pk).update(state=state, finished_at=now)
    return state


def _provider_cancel(task: ProviderTask) -> None:
    """Tell the provider to stop (best effort: it may already be done or gone)."""
    try:
        with _client() as client:
            client.delete(f"/tasks/{task.external_id}")
    except httpx.HTTPError as exc:
        logger.info("provider task %s: cancel request failed: %s", task.external_id, exc)
