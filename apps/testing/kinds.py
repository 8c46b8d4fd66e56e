"""The job kinds `testing.web` and `testing.perf`: glue between the jobs core and the engines.

Each body keeps its run row's `result` current (per step, or every second), because a stopped
job is `revoked` and can carry no job result, yet its partial figures must stay visible.
"""
from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlsplit

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.jobs.context import JobContext
from apps.jobs.exceptions import JobCancelled, JobRetry
from apps.jobs.limits import Setting
from apps.jobs.messages import event_message
from apps.jobs.registry import JobKind, register
from apps.testing import examples, services
from apps.testing.cancellation import run_until_stopped
from apps.testing.loadtest import LoadTest
from apps.testing.serializers import PerfTestParams, WebTestParams
from apps.testing.targets import check_target
from apps.testing.webtest import ConnectFailed, run_script, summary


class TargetUnreachable(JobRetry):
    """The target refused or dropped connections: retried TESTING_MAX_RETRIES times, then a failure."""

    def __init__(self, message: str) -> None:
        super().__init__(message, countdown=settings.TESTING_RETRY_DELAY_S)


def _sync(fn):
    """Call the ORM from a coroutine body on one worker thread, dropping stale connections."""
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        finally:
            close_old_connections()
    return sync_to_async(call, thread_sensitive=True)


# --- testing.web ------------------------------------------------------------------------------

async def web_test(ctx: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    """Run a script's steps in order; each step is a log event and lands in the run's result."""
    run = await _sync(services.web_run_for_job)(job_id=ctx.job_id, script_id=params["script_id"])
    script = run.script
    base_url = check_target(script.base_url)  # re-checked: DNS may have moved since creation
    steps = script.steps
    await _sync(services.run_result_save)(run=run, result=summary([], len(steps)))
    ctx.stage("running", 0, event_message("%(n)s steps against %(url)s", n=len(steps), url=base_url), steps=len(steps))

    async def on_step(index: int, so_far: dict[str, Any]) -> None:
        step = so_far["steps"][-1]
        line = (event_message("step %(i)s %(name)s passed (%(ms)s ms)", i=index, name=repr(step["name"]),
                              ms=step["elapsed_ms"]) if step["passed"] else
                event_message("step %(i)s %(name)s failed: %(error)s (%(ms)s ms)", i=index, name=repr(step["name"]),
                              error=step["error"], ms=step["elapsed_ms"]))
        ctx.log(line, step=index,
                name=step["name"], passed=step["passed"], status_code=step["status_code"],
                elapsed_ms=step["elapsed_ms"], error=step["error"])
        ctx.progress(index, len(steps), message=event_message("step %(i)s of %(n)s", i=index, n=len(steps)),
                     passed=so_far["passed"],
                     failed=so_far["failed"])
        await _sync(services.run_result_save)(run=run, result=so_far)

    try:
        result = await run_until_stopped(ctx, run_script(base_url, steps, on_step), poll_s=settings.TESTING_STOP_POLL_S)
    except ConnectFailed as exc:
        raise TargetUnreachable(str(exc)) from exc
    return result


# --- testing.perf -----------------------------------------------------------------------------

async def _preflight(base_url: str) -> None:
    """Can we connect at all? If not, it is an infrastructure error (retried), not a load figure."""
    parts = urlsplit(base_url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        _, writer = await asyncio.wait_for(asyncio.open_connection(parts.hostname, port), timeout=10)
    except (OSError, asyncio.TimeoutError) as exc:
        raise TargetUnreachable(f"{base_url}: cannot connect ({exc or type(exc).__name__})") from exc
    writer.close()
    try:
        await writer.wait_closed()
    except OSError:
        pass


async def perf_test(ctx: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    """Ramp users up, hold the load for run_time, report live figures every second."""
    run = await _sync(services.perf_run_for_job)(job_id=ctx.job_id, params=params)
    scenario = run.scenario
    base_url = check_target(scenario.base_url)
    await _preflight(base_url)
    run_time = params["run_time"]
    engine = LoadTest(base_url=base_url, requests=scenario.requests, think_time_ms=scenario.think_time_ms,
                      user_count=params["user_count"], spawn_rate=params["spawn_rate"], run_time_s=run_time,
                      request_timeout_s=settings.TESTING_PERF_REQUEST_TIMEOUT_S,
                      stop_timeout_s=settings.TESTING_PERF_STOP_TIMEOUT_S)
    save = _sync(services.run_result_save)
    await save(run=run, result=engine.result("running"))
    ctx.stage("running", 0, event_message("%(users)s users at %(rate)s/s for %(seconds)ss", users=params["user_count"],
                                         rate=f"{params['spawn_rate']:g}", seconds=run_time),
              user_count=params["user_count"], spawn_rate=params["spawn_rate"], run_time=run_time)

    async def on_second(point: dict[str, Any]) -> None:
        ctx.progress(min(99.0, 100.0 * point["t"] / run_time),
                     message=event_message("%(users)s users, %(rps)s req/s, %(fps)s failures/s", users=point["users"],
                                           rps=f"{point['rps']:g}", fps=f"{point['fps']:g}"),
                     **engine.live(point))
        await save(run=run, result=engine.result("running"))

    try:
        result = await run_until_stopped(ctx, engine.run(on_second), poll_s=settings.TESTING_STOP_POLL_S)
    except BaseException as exc:
        state = "stopped" if isinstance(exc, JobCancelled) else "failed"
        await asyncio.shield(save(run=run, result=engine.result(state)))
        raise
    await save(run=run, result=result)
    return result


# The stage codes stay in events; the page shows these titles (issue 17).
STAGE_TITLES = (
    pgettext_lazy("stage", "running"),
)


register(JobKind(
    name=services.WEB_KIND,
    title=_("Web test"),
    description=_("Runs a web-test script's HTTP steps in order, checking each response."),
    params=WebTestParams,
    example=examples.WEB,
    run=web_test,
    queue="testing",
    max_retries=Setting("TESTING_MAX_RETRIES"),
    soft_time_limit=Setting("TESTING_WEB_TIME_LIMIT_S"),
    time_limit=Setting(lambda s: s.TESTING_WEB_TIME_LIMIT_S + 60),
))

register(JobKind(
    name=services.PERF_KIND,
    title=_("Load test"),
    description=_("Simulated users send a scenario's weighted requests; live figures every second."),
    params=PerfTestParams,
    example=examples.PERF,
    run=perf_test,
    queue="testing",
    max_retries=Setting("TESTING_MAX_RETRIES"),
    soft_time_limit=Setting(lambda s: s.TESTING_MAX_RUN_TIME_S + int(s.TESTING_PERF_STOP_TIMEOUT_S) + 60),
    time_limit=Setting(lambda s: s.TESTING_MAX_RUN_TIME_S + int(s.TESTING_PERF_STOP_TIMEOUT_S) + 120),
))
