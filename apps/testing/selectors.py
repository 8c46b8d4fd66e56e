"""Reads: whose scripts and scenarios a user sees, and the latest run of each."""
from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from apps.testing.models import PerfScenario, PerfTestRun, WebTestRun, WebTestScript


def scripts_visible_to(user) -> QuerySet[WebTestScript]:
    """Users see their own scripts; staff see all (as with jobs)."""
    qs = WebTestScript.objects.all()
    return qs if user.is_staff else qs.filter(owner=user)


def scenarios_visible_to(user) -> QuerySet[PerfScenario]:
    qs = PerfScenario.objects.all()
    return qs if user.is_staff else qs.filter(owner=user)


def web_run_latest(script: WebTestScript) -> WebTestRun | None:
    return WebTestRun.objects.filter(script=script).select_related("job").order_by("-created_at", "-id").first()


def perf_run_latest(scenario: PerfScenario) -> PerfTestRun | None:
    return PerfTestRun.objects.filter(scenario=scenario).select_related("job").order_by("-created_at", "-id").first()


def web_runs_of(script: WebTestScript) -> QuerySet[WebTestRun]:
    """A script's runs, newest first, with their jobs (the runs list of its page and API)."""
    return WebTestRun.objects.filter(script=script).select_related("job").order_by("-created_at", "-id")


def perf_runs_of(scenario: PerfScenario) -> QuerySet[PerfTestRun]:
    return PerfTestRun.objects.filter(scenario=scenario).select_related("job").order_by("-created_at", "-id")


def _with_latest_run(objects: QuerySet, run_model, fk: str, limit: int) -> list:
    """The most recently changed objects, each with `.latest_run` (or None): two queries in all (the list pages)."""
    latest = run_model.objects.filter(**{fk: OuterRef("pk")}).order_by("-created_at", "-id").values("pk")[:1]
    items = list(objects.annotate(latest_run_id=Subquery(latest)).order_by("-updated_at", "-id")[:limit])
    runs = run_model.objects.select_related("job").in_bulk([o.latest_run_id for o in items if o.latest_run_id])
    for obj in items:
        obj.latest_run = runs.get(obj.latest_run_id)
    return items


def scripts_with_latest_run(user, limit: int = 200) -> list[WebTestScript]:
    return _with_latest_run(scripts_visible_to(user), WebTestRun, "script", limit)


def scenarios_with_latest_run(user, limit: int = 200) -> list[PerfScenario]:
    return _with_latest_run(scenarios_visible_to(user), PerfTestRun, "scenario", limit)
