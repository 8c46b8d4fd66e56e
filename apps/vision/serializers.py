"""Wire shapes of the visual-analysis API the replaced system's clients already call."""
from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.jobs import states
from apps.jobs.models import Job
from apps.jobs.serializers import JobErrorSerializer, JobLinksSerializer, JobStatusField, documents_result, job_payload
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


# --- response shapes (documenting `analysis_status_payload` and the job result) ---------------

class ThumbnailSerializer(serializers.Serializer):
    data_url = serializers.CharField(help_text="A small JPEG as a data: URL.")
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    bytes = serializers.IntegerField()


class PaletteColourSerializer(serializers.Serializer):
    hex = serializers.CharField()
    rgb = serializers.ListField(child=serializers.IntegerField(), min_length=3, max_length=3)
    share = serializers.FloatField()
    name = serializers.CharField()


class QualitySerializer(serializers.Serializer):
    score = serializers.FloatField(help_text="0-100")
    components = serializers.DictField(child=serializers.FloatField())
    weights = serializers.DictField(child=serializers.FloatField())


class PrivacySerializer(serializers.Serializer):
    gps_present = serializers.BooleanField()
    concerns = serializers.ListField(child=serializers.CharField())


@documents_result("vision.analyze")
class VisionAnalysisResultSerializer(serializers.Serializer):
    """`vision.analyze`'s result: measurements of one image (each part open to new figures)."""

    image = serializers.DictField(help_text="format, width, height, megapixels, mode, bytes, frames, has_alpha, "
                                            "icc_profile, upright and analysed sizes")
    exif = serializers.DictField(help_text="present, camera, lens, exposure, aperture, iso, focal length, "
                                           "captured_at, orientation, gps_present")
    privacy = PrivacySerializer()
    histogram = serializers.DictField(help_text="luminance statistics, bins, channel_means")
    exposure = serializers.DictField(help_text="verdict, offset/headroom/correction stops, clipping")
    contrast = serializers.DictField(help_text="verdict, rms, tonal_range")
    saturation = serializers.DictField(help_text="verdict, mean, highly_saturated_share")
    colour_cast = serializers.DictField(help_text="verdict, hue, strength, neutral share")
    palette = PaletteColourSerializer(many=True)
    sharpness = serializers.DictField(help_text="verdict, laplacian_variance, gradients, motion blur")
    noise = serializers.DictField(help_text="verdict, sigma")
    composition = serializers.DictField(help_text="aspect, orientation, verdict, detail placement, balance")
    thumbnail = ThumbnailSerializer()
    quality = QualitySerializer()
    suggestions = serializers.ListField(child=serializers.CharField())


class AnalysisStatusSerializer(serializers.Serializer):
    """`analysis_status_payload`: `task_id` is the job id; `result` only on success, `error` on failure."""

    task_id = serializers.UUIDField()
    status = JobStatusField()
    progress = serializers.FloatField(min_value=0, max_value=100)
    stage = serializers.CharField(allow_blank=True)
    message = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    links = JobLinksSerializer()
    result = VisionAnalysisResultSerializer(required=False, allow_null=True)
    error = JobErrorSerializer(required=False, allow_null=True)
