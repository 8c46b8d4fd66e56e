"""Thin page views: check the session, render the shell; the page's modules fetch and stream the data."""
from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie

from apps.jobs import selectors


@login_required
@ensure_csrf_cookie
def dashboard(request: HttpRequest) -> HttpResponse:
    """The user's jobs with live progress, and a submit form per job kind."""
    return render(request, "frontend/dashboard.html", {"page": "dashboard"})


@login_required
@ensure_csrf_cookie
def job_page(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """One job: snapshot, timeline, result; a job the user may not see is a 404 (existence not revealed)."""
    if selectors.job_for_user(request.user, job_id) is None:
        raise Http404("no such job")
    return render(request, "frontend/job.html", {"page": "job", "job_id": str(job_id)})
