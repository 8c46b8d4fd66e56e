"""Run a coroutine while watching for a stop request, so a stop lands within TESTING_STOP_POLL_S.

A stop is `apps.jobs.services.job_cancel` (the job becomes `revoked`); a body only learns of
it by asking, and a load test busy with hundreds of users must not wait for its next report.
"""
from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

from apps.jobs.context import JobContext


async def run_until_stopped(ctx: JobContext, work: Coroutine[Any, Any, Any], *, poll_s: float) -> Any:
    """Await `work`; raise JobCancelled (after cancelling `work`) as soon as the job is revoked."""
    task = asyncio.ensure_future(work)
    try:
        while True:
            done, _ = await asyncio.wait({task}, timeout=poll_s)
            if done:
                return task.result()
            ctx.check_cancelled()
    finally:
        if not task.done():
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
