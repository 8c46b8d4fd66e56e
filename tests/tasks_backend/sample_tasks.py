"""Django tasks the tests enqueue; importable by the test stack's worker (cwd is the repo root)."""
from __future__ import annotations

import asyncio
import time

from apps.jobs.tasks_compat import task


@task
def add(a: int, b: int) -> int:
    return a + b


@task(takes_context=True)
def count_rows(context, rows: int, interval_ms: int = 0) -> dict:
    """Reports progress the way a kind's body does."""
    context.stage("counting", message=f"{rows} rows")
    for i in range(1, rows + 1):
        if interval_ms:
            time.sleep(interval_ms / 1000)
        context.progress(100 * i / rows, f"row {i} of {rows}")
    return {"rows": rows, "attempt": context.attempt, "job_id": str(context.job_id)}


class RowError(ValueError):
    """Raised on purpose by `explode`."""


@task
def explode(message: str) -> None:
    raise RowError(message)


@task(takes_context=True)
def flaky(context, succeed_on: int) -> int:
    if context.attempt < succeed_on:
        raise RuntimeError(f"attempt {context.attempt} fails on purpose")
    return context.attempt


@task
async def async_sum(values: list, delay_ms: int = 0) -> int:
    await asyncio.sleep(delay_ms / 1000)
    return sum(values)


@task(takes_context=True)
async def async_progress(context, steps: int) -> int:
    for i in range(1, steps + 1):
        await asyncio.sleep(0.01)
        context.progress(i, steps, message=f"step {i} of {steps}")
    return steps


@task
def enqueue_child() -> str:
    """A task enqueued by a task belongs to the same owner."""
    return add.enqueue(1, 2).id


@task(priority=100, queue_name="files")
def urgent_file_task() -> str:
    return "done"
