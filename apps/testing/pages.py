"""The web-test and load-test pages (issue 16): lists, editors, a script's or scenario's page.

Thin: check the session, find the object the user may see (another user's is a 404), render;
the pages' modules talk to the /api/v1/ endpoints (the API is the validator).
"""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.csrf import ensure_csrf_cookie

from apps.jobs import states
from apps.testing import examples, selectors
from apps.testing.serializers import scenario_payload, script_payload

_SCRIPT = {"what": "script", "api": "/api/v1/web-test/scripts/", "pages": "/tests/scripts/"}
_SCENARIO = {"what": "scenario", "api": "/api/v1/perf-test/scenarios/", "pages": "/tests/scenarios/"}


def _one(queryset, pk: int):
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404("no such script or scenario")
    return obj


def run_verdict(run) -> str:
    """A run's outcome in a few words, in the viewer's language (the list pages' "Last run")."""
    status, result = run.job.status, run.result or {}
    if status == states.SUCCESS and "stats" in result:
        stats = result["stats"]
        return gettext("%(rps).1f req/s, %(failures)s failures") % {"rps": stats.get("rps") or 0,
                                                                     "failures": stats.get("failures", 0)}
    if status == states.SUCCESS:
        failed = result.get("failed") or 0
        if failed:
            return gettext("%(failed)s of %(total)s steps failed") % {
                "failed": failed, "total": result.get("total", len(result.get("steps", [])))}
        return gettext("passed")
    return {states.PENDING: gettext("queued"), states.STARTED: gettext("running"), states.RETRY: gettext("retrying"),
            states.FAILURE: gettext("error"), states.REVOKED: gettext("stopped")}.get(status, status)


def _with_verdicts(objects: list) -> list:
    for obj in objects:
        if obj.latest_run is not None:
            run = obj.latest_run
            run.verdict = run_verdict(run)
            failed_steps = run.job.status == states.SUCCESS and (run.result or {}).get("failed")
            run.verdict_status = states.FAILURE if failed_steps else run.job.status
    return objects


@login_required
def script_list(request: HttpRequest) -> HttpResponse:
    """The user's web-test scripts with their latest run's verdict."""
    return render(request, "testing/script_list.html",
                  {"page": "test-scripts", "scripts": _with_verdicts(selectors.scripts_with_latest_run(request.user))})


@login_required
def scenario_list(request: HttpRequest) -> HttpResponse:
    return render(request, "testing/scenario_list.html",
                  {"page": "test-scenarios", "scenarios": _with_verdicts(selectors.scenarios_with_latest_run(request.user))})


def _editor(request: HttpRequest, target: dict, obj: dict | None, example: dict) -> HttpResponse:
    return render(request, "testing/editor.html", {
        "page": f"{target['what']}-editor", "target": target, "obj": obj, "initial": obj,
        "example": example["create"]["body"]})


@login_required
@ensure_csrf_cookie
def script_new(request: HttpRequest) -> HttpResponse:
    return _editor(request, _SCRIPT, None, examples.WEB)


@login_required
@ensure_csrf_cookie
def script_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _editor(request, _SCRIPT, script_payload(_one(selectors.scripts_visible_to(request.user), pk)), examples.WEB)


@login_required
@ensure_csrf_cookie
def scenario_new(request: HttpRequest) -> HttpResponse:
    return _editor(request, _SCENARIO, None, examples.PERF)


@login_required
@ensure_csrf_cookie
def scenario_edit(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = _one(selectors.scenarios_visible_to(request.user), pk)
    return _editor(request, _SCENARIO, scenario_payload(scenario), examples.PERF)


@login_required
@ensure_csrf_cookie
def script_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A script: its steps, Run, the run followed live, and its runs."""
    script = _one(selectors.scripts_visible_to(request.user), pk)
    return render(request, "testing/script_detail.html",
                  {"page": "test-script", "target": _SCRIPT, "obj": script_payload(script)})


@login_required
@ensure_csrf_cookie
def scenario_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A scenario: its requests, the load shape and Run, the run's live chart, and its runs."""
    scenario = _one(selectors.scenarios_visible_to(request.user), pk)
    return render(request, "testing/scenario_detail.html", {
        "page": "test-scenario", "target": _SCENARIO, "obj": scenario_payload(scenario),
        "shape": examples.PERF["params"]})
