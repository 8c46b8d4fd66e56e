"""Built-in job kinds: `jobs.ticker`, the workhorse of tests, benchmarks and diagnostics."""
from __future__ import annotations

import asyncio
import time

from rest_framework import serializers

from apps.jobs.context import JobContext
from apps.jobs.params import StrictParams
from apps.jobs.registry import JobKind, register


class TickerParams(StrictParams):
    steps = serializers.IntegerField(min_value=1, max_value=100_000, default=10,
                                     help_text="How many progress steps to report.")
    interval_ms = serializers.IntegerField(min_value=0, max_value=60_000, default=100,
                                           help_text="Pause between steps, in milliseconds.")
    fail_at = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None,
                                       help_text="Raise an error at this step (to see failures).")
    mode = serializers.ChoiceField(choices=["sync", "async"], default="sync",
                                   help_text="Run the body as a plain function or as a coroutine.")
    output = serializers.BooleanField(required=False,
                                      help_text="Also stream one line of text output per step.")

    def validate(self, attrs):
        if attrs.get("fail_at") is not None and attrs["fail_at"] > attrs["steps"]:
            raise serializers.ValidationError({"fail_at": "must not be greater than steps"})
        return attrs


class TickerFailure(RuntimeError):
    """The failure a ticker raises on purpose at `fail_at`."""


def ticker(ctx: JobContext, params: dict):
    """Count to `steps`, reporting progress each step; fail at `fail_at` if given."""
    if params.get("mode") == "async":
        return async_ticker(ctx, params)
    steps, interval, fail_at = params["steps"], params["interval_ms"] / 1000.0, params.get("fail_at")
    ctx.stage("ticking", message=f"{steps} steps")
    started = time.monotonic()
    for i in range(1, steps + 1):
        if interval:
            time.sleep(interval)
        _tick(ctx, i, steps, fail_at, params.get("output", False))
    return {"steps": steps, "elapsed_s": round(time.monotonic() - started, 3)}


async def async_ticker(ctx: JobContext, params: dict) -> dict:
    """The coroutine flavour: the same events, awaiting between steps."""
    steps, interval, fail_at = params["steps"], params["interval_ms"] / 1000.0, params.get("fail_at")
    ctx.stage("ticking", message=f"{steps} steps (async)")
    started = time.monotonic()
    for i in range(1, steps + 1):
        if interval:
            await asyncio.sleep(interval)
        _tick(ctx, i, steps, fail_at, params.get("output", False))
    return {"steps": steps, "elapsed_s": round(time.monotonic() - started, 3), "mode": "async"}


def _tick(ctx: JobContext, i: int, steps: int, fail_at: int | None, output: bool = False) -> None:
    if fail_at is not None and i == fail_at:
        raise TickerFailure(f"failed at step {i} as asked (fail_at={fail_at})")
    ctx.progress(i, steps, message=f"step {i} of {steps}", emitted_at=time.time())
    if output:
        ctx.output(f"step {i} of {steps}\n")


register(JobKind(
    name="jobs.ticker",
    title="Ticker",
    description="Counts through steps at a fixed interval; optionally fails at a step.",
    params=TickerParams,
    run=ticker,
    queue="jobs",
    example={"params": {"steps": 10, "interval_ms": 300}},
    soft_time_limit=3000,
    time_limit=3600,
))
