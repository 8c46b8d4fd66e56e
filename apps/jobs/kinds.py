"""Built-in job kinds: `jobs.ticker`, the workhorse of tests, benchmarks and diagnostics."""
from __future__ import annotations

import asyncio
import time

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from rest_framework import serializers

from apps.jobs.context import JobContext
from apps.jobs.messages import event_message
from apps.jobs.params import StrictParams
from apps.jobs.registry import JobKind, register


class TickerParams(StrictParams):
    steps = serializers.IntegerField(min_value=1, max_value=100_000, default=10, label=_("Steps"),
                                     help_text=_("How many progress steps to report."))
    interval_ms = serializers.IntegerField(min_value=0, max_value=60_000, default=100, label=_("Interval ms"),
                                           help_text=_("Pause between steps, in milliseconds."))
    fail_at = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None, label=_("Fail at"),
                                       help_text=_("Raise an error at this step (to see failures)."))
    mode = serializers.ChoiceField(choices=["sync", "async"], default="sync", label=_("Mode"),
                                   help_text=_("Run the body as a plain function or as a coroutine."))
    output = serializers.BooleanField(required=False, label=_("Output"),
                                      help_text=_("Also stream one line of text output per step."))

    def validate(self, attrs):
        if attrs.get("fail_at") is not None and attrs["fail_at"] > attrs["steps"]:
            raise serializers.ValidationError({"fail_at": _("must not be greater than steps")})
        return attrs


# The stage codes stay in events; the page shows these titles (issue 17).
STAGE_TITLES = (pgettext_lazy("stage", "ticking"),)


class TickerFailure(RuntimeError):
    """The failure a ticker raises on purpose at `fail_at`."""


def ticker(ctx: JobContext, params: dict):
    """Count to `steps`, reporting progress each step; fail at `fail_at` if given."""
    if params.get("mode") == "async":
        return async_ticker(ctx, params)
    steps, interval, fail_at = params["steps"], params["interval_ms"] / 1000.0, params.get("fail_at")
    ctx.stage("ticking", message=event_message("%(steps)s steps", steps=steps))
    started = time.monotonic()
    for i in range(1, steps + 1):
        if interval:
            time.sleep(interval)
        _tick(ctx, i, steps, fail_at, params.get("output", False))
    return {"steps": steps, "elapsed_s": round(time.monotonic() - started, 3)}


async def async_ticker(ctx: JobContext, params: dict) -> dict:
    """The coroutine flavour: the same events, awaiting between steps."""
    steps, interval, fail_at = params["steps"], params["interval_ms"] / 1000.0, params.get("fail_at")
    ctx.stage("ticking", message=event_message("%(steps)s steps (async)", steps=steps))
    started = time.monotonic()
    for i in range(1, steps + 1):
        if interval:
            await asyncio.sleep(interval)
        _tick(ctx, i, steps, fail_at, params.get("output", False))
    return {"steps": steps, "elapsed_s": round(time.monotonic() - started, 3), "mode": "async"}


def _tick(ctx: JobContext, i: int, steps: int, fail_at: int | None, output: bool = False) -> None:
    if fail_at is not None and i == fail_at:
        raise TickerFailure(f"failed at step {i} as asked (fail_at={fail_at})")
    ctx.progress(i, steps, message=event_message("step %(i)s of %(n)s", i=i, n=steps), emitted_at=time.time())
    if output:
        ctx.output(f"step {i} of {steps}\n")


register(JobKind(
    name="jobs.ticker",
    title=_("Ticker"),
    description=_("Counts through steps at a fixed interval; optionally fails at a step."),
    params=TickerParams,
    run=ticker,
    queue="jobs",
    example={"params": {"steps": 10, "interval_ms": 300}},
    soft_time_limit=3000,
    time_limit=3600,
))
