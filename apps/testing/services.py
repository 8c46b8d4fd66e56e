"""Use cases of the web-test and load-test API: store scripts/scenarios, start, stop, clean up.

A run is a job of the jobs core plus a row here that keeps the run's own (partial) result.
"""
from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.jobs import states
from apps.jobs.services import job_cancel, job_create
from apps.testing.models import PerfScenario, PerfTestRun, WebTestRun, WebTestScript
from apps.testing.targets import check_target

logger = logging.getLogger(__name__)

WEB_KIND, PERF_KIND = "testing.web", "testing.perf"


def script_create(*, owner, name: str, base_url: str, steps: list[dict[str, Any]]) -> WebTestScript:
    return WebTestScript.objects.create(owner=owner, name=name, base_url=base_url, steps=steps)


def script_update(*, script: WebTestScript, **fields: Any) -> WebTestScript:
    for name, value in fields.items():
        setattr(script, name, value)
    script.save()
    return script


def scenario_create(*, owner, name: str, base_url: str, requests: list[dict[str, Any]],
                    think_time_ms: list[int]) -> PerfScenario:
    return PerfScenario.objects.create(owner=owner, name=name, base_url=base_url, requests=requests,
                                       think_time_ms=think_time_ms)


def scenario_update(*, scenario: PerfScenario, **fields: Any) -> PerfScenario:
    for name, value in fields.items():
        setattr(scenario, name, value)
    scenario.save()
    return scenario


def web_run_start(*, script: WebTestScript, owner, priority: int = 5) -> WebTestRun:
    """Queue a run of the script (raises TargetRefused if its base_url is no longer allowed)."""
    check_target(script.base_url)
    with transaction.atomic():  # the job is sent on commit, when its run row exists
        job = job_create(owner=owner, kind=WEB_KIND, params={"script_id": script.pk}, priority=priority)
        return WebTestRun.objects.create(script=script, job=job)


def perf_run_start(*, scenario: PerfScenario, owner, user_count: int, spawn_rate: float, run_time: int,
                   priority: int = 5) -> PerfTestRun:
    """Queue a load test of the scenario (limits already validated; raises TargetRefused)."""
    check_target(scenario.base_url)
    params = {"scenario_id": scenario.pk, "user_count": user_count, "spawn_rate": spawn_rate, "run_time": run_time}
    with transaction.atomic():
        job = job_create(owner=owner, kind=PERF_KIND, params=params, priority=priority)
        return PerfTestRun.objects.create(scenario=scenario, job=job, user_count=user_count,
                                          spawn_rate=spawn_rate, run_time_s=run_time)


def run_stop(*, run: WebTestRun | PerfTestRun) -> WebTestRun | PerfTestRun:
    """Stop a run: a pending one never starts, a running one stops within a second keeping its figures.

    Raises apps.jobs.services.JobConflict if it already finished.
    """
    job_cancel(job=run.job)
    run.job.refresh_from_db()
    return run


def web_run_for_job(*, job_id, script_id: int) -> WebTestRun:
    """The run row of a job (created here when the job came through POST /api/jobs/)."""
    run = WebTestRun.objects.select_related("script").filter(job_id=job_id).first()
    if run is None:
        run, _ = WebTestRun.objects.get_or_create(job_id=job_id, defaults={"script_id": script_id})
        run = WebTestRun.objects.select_related("script").get(pk=run.pk)
    return run


def perf_run_for_job(*, job_id, params: dict[str, Any]) -> PerfTestRun:
    run = PerfTestRun.objects.select_related("scenario").filter(job_id=job_id).first()
    if run is None:
        run, _ = PerfTestRun.objects.get_or_create(job_id=job_id, defaults={
            "scenario_id": params["scenario_id"], "user_count": params["user_count"],
            "spawn_rate": params["spawn_rate"], "run_time_s": params["run_time"]})
        run = PerfTestRun.objects.select_related("scenario").get(pk=run.pk)
    return run


def run_result_save(*, run: WebTestRun | PerfTestRun, result: dict[str, Any]) -> None:
    """Store the run's figures so far (what `…/status` shows, also after a stop)."""
    type(run).objects.filter(pk=run.pk).update(result=result, updated_at=timezone.now())


def cleanup_old_results(*, now=None, days: int | None = None) -> dict[str, int]:
    """Delete finished runs older than the retention (the nightly `testing.cleanup_old_results`).

    Runs still going are kept whatever their age. Scripts and scenarios are kept; the jobs'
    own timelines are purged by the core's `jobs.purge_old_events`.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.TESTING_RESULT_RETENTION_DAYS if days is None else days)
    deleted = {}
    for label, model in (("web", WebTestRun), ("perf", PerfTestRun)):
        old = model.objects.filter(created_at__lt=cutoff, job__status__in=states.TERMINAL)
        deleted[label], _ = old.delete()
    logger.info("testing cleanup: deleted runs older than %s: %s", cutoff.isoformat(), deleted)
    return deleted
