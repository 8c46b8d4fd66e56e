"""Wire shapes of the visual-analysis API the replaced system's clients already call."""
from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.jobs import states
from apps.jobs.models import Job
from apps.jobs.serializers import job_payload
from apps.vision.scoring import result_for_viewer

# The replaced system's words; in Chinese "任务已创建，正在处理中" (CONTRACT "Languages").
QUEUED_MESSAGE = gettext_noop("Task created, processing")


class AnalysisRequestSerializer(serializers.Serializer):
    """Either `image_data` (base64 or a data: URL) or a multipart `image` file."""

    image_data = serializers.CharField(required=False, trim_whitespace=True,
                                       help_text=_("The image as base64, with or without a data: URL prefix."))
    image = serializers.FileField(required=False, help_text=_("The image file (multipart upload)."))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs.get("image_data")) == bool(attrs.get("image")):
            raise serializers.ValidationError(
                {"image_data": [gettext("send exactly one of image_data (base64) or image (a file upload)")]})
        return attrs


def analysis_status_payload(job: Job, *, message: str | None = None) -> dict[str, Any]:
    """`{task_id, status, progress, created_at, updated_at, result?}`; the task id is the job id."""
    job_data = job_payload(job)
    data: dict[str, Any] = {
        "task_id": job_data["id"],
        "status": job_data["status"],
        "progress": job_data["progress"],
        "stage": job_data["stage"],
        "message": message if message is not None else job_data["message"],
        "created_at": job_data["created_at"],
        "updated_at": job_data["updated_at"],
        "links": job_data["links"],
    }
    if job.status == states.SUCCESS:
        data["result"] = result_for_viewer(job.result)  # suggestions in the viewer's language (issue 17)
    if job.status == states.FAILURE:
        data["error"] = job.error
    return data
