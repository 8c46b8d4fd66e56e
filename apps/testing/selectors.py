"""Reads: whose scripts and scenarios a user sees, and the latest run of each."""
from __future__ import annotations

from django.db.models import QuerySet

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
