"""Web-test scripts, load-test scenarios, and their runs (each run is one job of the jobs core).

A run keeps its own `result`, written while the job runs: a stopped job is `revoked` and has
no job result, yet its partial figures must survive (issue 7).
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WebTestScript(models.Model):
    """An ordered list of HTTP steps run against `base_url` (docs/api.md, web tests)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="web_test_scripts",
                              verbose_name=_("owner"))
    name = models.CharField(_("name"), max_length=200)
    base_url = models.CharField(_("base URL"), max_length=500)
    steps = models.JSONField(_("steps"), default=list)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("web test script")
        verbose_name_plural = _("web test scripts")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class PerfScenario(models.Model):
    """Weighted requests that simulated users send against `base_url`, with think time."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="perf_scenarios",
                              verbose_name=_("owner"))
    name = models.CharField(_("name"), max_length=200)
    base_url = models.CharField(_("base URL"), max_length=500)
    requests = models.JSONField(_("requests"), default=list)
    think_time_ms = models.JSONField(_("think time (ms)"), default=list)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("load-test scenario")
        verbose_name_plural = _("load-test scenarios")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class WebTestRun(models.Model):
    """One execution of a script; `result` grows step by step."""

    script = models.ForeignKey(WebTestScript, on_delete=models.CASCADE, related_name="runs",
                               verbose_name=_("script"))
    job = models.OneToOneField("jobs.Job", on_delete=models.CASCADE, related_name="web_test_run", verbose_name=_("job"))
    result = models.JSONField(_("result"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("web test run")
        verbose_name_plural = _("web test runs")
        ordering = ["-created_at", "-id"]


class PerfTestRun(models.Model):
    """One load test of a scenario; `result` is rewritten every second while it runs."""

    scenario = models.ForeignKey(PerfScenario, on_delete=models.CASCADE, related_name="runs",
                                 verbose_name=_("scenario"))
    job = models.OneToOneField("jobs.Job", on_delete=models.CASCADE, related_name="perf_test_run", verbose_name=_("job"))
    user_count = models.PositiveIntegerField(_("simulated users"))
    spawn_rate = models.FloatField(_("spawn rate (users/s)"))
    run_time_s = models.PositiveIntegerField(_("run time (s)"))
    result = models.JSONField(_("result"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("load-test run")
        verbose_name_plural = _("load-test runs")
        ordering = ["-created_at", "-id"]
