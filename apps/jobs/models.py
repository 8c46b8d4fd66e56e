"""Job (the current state, one row per job) and Event (its append-only, gap-free log)."""
from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.jobs import states


class Job(models.Model):
    """A unit of background work. `seq` is the seq of its latest stored event."""

    # Labels for people (the admin); the stored values are the status codes.
    STATUS_CHOICES = [(states.PENDING, _("pending")), (states.STARTED, _("started")), (states.RETRY, _("retry")),
                      (states.SUCCESS, _("success")), (states.FAILURE, _("failure")), (states.REVOKED, _("revoked"))]

    id = models.UUIDField(_("ID"), primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=100, db_index=True)
    # Null for jobs no user asked for (a Django task enqueued outside `owned_by`): only staff see them.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs",
                              null=True, blank=True, verbose_name=_("owner"))
    status = models.CharField(_("status"), max_length=16, choices=STATUS_CHOICES, default=states.PENDING, db_index=True)
    stage = models.CharField(_("stage"), max_length=100, blank=True, default="")
    progress = models.FloatField(_("progress"), default=0.0)
    message = models.TextField(_("message"), blank=True, default="")
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    error = models.JSONField(_("error"), null=True, blank=True)
    attempt = models.PositiveIntegerField(_("attempt"), default=1)
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=5, validators=[MinValueValidator(0), MaxValueValidator(9)]
    )
    queue = models.CharField(_("queue"), max_length=100, default="jobs")
    # E-mail the owner when the job finishes (sent by a task on the `email` queue).
    notify = models.BooleanField(_("e-mail when finished"), default=False)
    # The language active when the job was created (its owner's, issue 17): the completion
    # e-mail is written in it. Empty for jobs no request created (the default language then).
    language = models.CharField(_("language"), max_length=16, blank=True, default="")
    task_id = models.CharField(_("Celery task ID"), max_length=255, null=True, blank=True, db_index=True)
    seq = models.PositiveIntegerField(_("last event number"), default=0)
    # Runner bookkeeping, not part of the API: pipeline step reached, outputs of finished
    # steps, the step being executed (to recognise a redelivered message), retries used.
    state = models.JSONField(_("runner state"), default=dict, blank=True)
    # Refreshed by the running worker; the reaper fails `started` jobs whose heartbeat stops.
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        indexes = [models.Index(fields=["owner", "-created_at"]), models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.id} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in states.TERMINAL


class Event(models.Model):
    """One stored event; (job, seq) is unique and seq runs 1..n without gaps."""

    EVENT_CHOICES = [(e, e) for e in states.EVENT_TYPES]

    id = models.BigAutoField(_("ID"), primary_key=True)
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="events", verbose_name=_("job"))
    seq = models.PositiveIntegerField(_("number"))
    event = models.CharField(_("event"), max_length=16, choices=EVENT_CHOICES)
    status = models.CharField(_("status"), max_length=16)
    stage = models.CharField(_("stage"), max_length=100, blank=True, default="")
    progress = models.FloatField(_("progress"), default=0.0)
    message = models.TextField(_("message"), blank=True, default="")
    data = models.JSONField(_("data"), default=dict, blank=True)
    ts = models.DateTimeField(_("time"))

    class Meta:
        ordering = ["job", "seq"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [models.UniqueConstraint(fields=["job", "seq"], name="event_unique_seq_per_job")]

    def __str__(self) -> str:
        return f"{self.job_id}#{self.seq} {self.event}"
