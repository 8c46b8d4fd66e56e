"""Web-test scripts, load-test scenarios, and their runs (each run is one job of the jobs core).

A run keeps its own `result`, written while the job runs: a stopped job is `revoked` and has
no job result, yet its partial figures must survive (issue 7).
"""
from __future__ import annotations

from django.conf import settings
from django.db import models


class WebTestScript(models.Model):
    """An ordered list of HTTP steps run against `base_url` (docs/api.md, web tests)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="web_test_scripts")
    name = models.CharField(max_length=200)
    base_url = models.CharField(max_length=500)
    steps = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class PerfScenario(models.Model):
    """Weighted requests that simulated users send against `base_url`, with think time."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="perf_scenarios")
    name = models.CharField(max_length=200)
    base_url = models.CharField(max_length=500)
    requests = models.JSONField(default=list)
    think_time_ms = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class WebTestRun(models.Model):
    """One execution of a script; `result` grows step by step."""

    script = models.ForeignKey(WebTestScript, on_delete=models.CASCADE, related_name="runs")
    job = models.OneToOneField("jobs.Job", on_delete=models.CASCADE, related_name="web_test_run")
    result = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class PerfTestRun(models.Model):
    """One load test of a scenario; `result` is rewritten every second while it runs."""

    scenario = models.ForeignKey(PerfScenario, on_delete=models.CASCADE, related_name="runs")
    job = models.OneToOneField("jobs.Job", on_delete=models.CASCADE, related_name="perf_test_run")
    user_count = models.PositiveIntegerField()
    spawn_rate = models.FloatField()
    run_time_s = models.PositiveIntegerField()
    result = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
