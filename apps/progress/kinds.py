"""`ops.celery_task`: the job kind of plain Celery tasks that report through a ProgressRecorder."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.jobs.context import JobContext
from apps.jobs.params import StrictParams
from apps.jobs.registry import JobKind, register

CELERY_TASK_KIND = "ops.celery_task"


class CeleryTaskParams(StrictParams):
    """What the adopted Celery task was called with (shown on the job; never submitted)."""

    task = serializers.CharField(help_text=_("The Celery task's name."))
    args = serializers.ListField(required=False, default=list)
    kwargs = serializers.DictField(required=False, default=dict)

    def validate(self, attrs):
        # Running a named Celery task on request would let any user run any task.
        raise serializers.ValidationError(
            {"task": "ops.celery_task jobs are created by ProgressRecorder inside a running Celery task; "
                     "they cannot be submitted"})


class NotRunnable(RuntimeError):
    """An adopted Celery task is re-run by sending the task again, not by Jobcast."""


def refuse_rerun(ctx: JobContext, params: dict) -> None:
    """A manual retry lands here: say how to run the task again instead."""
    raise NotRunnable(f"this job mirrors the Celery task {params.get('task')!r}; send that task again "
                      "to run it once more")


register(JobKind(
    name=CELERY_TASK_KIND,
    title=_("Celery task (celery-progress)"),
    description=_("A Celery task that reports through apps.progress.recorder.ProgressRecorder "
                "(celery-progress's API); created by the task itself, not submitted."),
    params=CeleryTaskParams,
    run=refuse_rerun,
    queue="jobs",
    submittable=False,
))
