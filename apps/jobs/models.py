"""Job (the current state, one row per job) and Event (its append-only, gap-free log)."""
from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from apps.jobs import states


class Job(models.Model):
    """A unit of background work. `seq` is the seq of its latest stored event."""

    STATUS_CHOICES = [(s, s) for s in states.STATUSES]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=100, db_index=True)
    # Null for jobs no user asked for (a Django task enqueued outside `owned_by`): only staff see them.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs",
                              null=True, blank=True)
    status = models.CharField(max_length=16, choices=STATUS_CHOICES, default=states.PENDING, db_index=True)
    stage = models.CharField(max_length=100, blank=True, default="")
    progress = models.FloatField(default=0.0)
    message = models.TextField(blank=True, default="")
    params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.JSONField(null=True, blank=True)
    attempt = models.PositiveIntegerField(default=1)
    priority = models.PositiveSmallIntegerField(
        default=5, validators=[MinValueValidator(0), MaxValueValidator(9)]
    )
    queue = models.CharField(max_length=100, default="jobs")
    # E-mail the owner when the job finishes (sent by a task on the `email` queue).
    notify = models.BooleanField(default=False)
    task_id = models.CharField(max_length=255, null=True, blank=True, db_index=True)
    seq = models.PositiveIntegerField(default=0)
    # Runner bookkeeping, not part of the API: pipeline step reached, outputs of finished
    # steps, the step being executed (to recognise a redelivered message), retries used.
    state = models.JSONField(default=dict, blank=True)
    # Refreshed by the running worker; the reaper fails `started` jobs whose heartbeat stops.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "-created_at"]), models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.id} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in states.TERMINAL


class Event(models.Model):
    """One stored event; (job, seq) is unique and seq runs 1..n without gaps."""

    EVENT_CHOICES = [(e, e) for e in states.EVENT_TYPES]

    id = models.BigAutoField(primary_key=True)
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    event = models.CharField(max_length=16, choices=EVENT_CHOICES)
    status = models.CharField(max_length=16)
    stage = models.CharField(max_length=100, blank=True, default="")
    progress = models.FloatField(default=0.0)
    message = models.TextField(blank=True, default="")
    data = models.JSONField(default=dict, blank=True)
    ts = models.DateTimeField()

    class Meta:
        ordering = ["job", "seq"]
        constraints = [models.UniqueConstraint(fields=["job", "seq"], name="event_unique_seq_per_job")]

    def __str__(self) -> str:
        return f"{self.job_id}#{self.seq} {self.event}"
