"""The `vision.analyze` job kind: params, the body, and its registration."""
from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from rest_framework import serializers

from apps.jobs.context import JobContext
from apps.jobs.limits import Setting
from apps.jobs.params import StrictParams
from apps.jobs.registry import JobKind, register
from apps.vision.analysis import analyze_image
from apps.vision.examples import analyze_example
from apps.vision.images import ImageRejected, image_bytes_from_base64, open_image

KIND = "vision.analyze"


class AnalyzeParams(StrictParams):
    image_data = serializers.CharField(
        help_text=_("The image file as base64 (a data: URL prefix is accepted)."),
        style={"content_media_type": "image/*", "content_encoding": "base64"},
    )

    def validate_image_data(self, value: str) -> str:
        """Decode and verify the whole image here, so a bad file never reaches a worker."""
        try:
            open_image(image_bytes_from_base64(value))
        except ImageRejected as exc:
            raise serializers.ValidationError(exc.said("image_data")) from None
        return value


def analyze(ctx: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    """Decode the image from the params and run the staged analysis, reporting to the job."""
    data = image_bytes_from_base64(params["image_data"])  # ImageRejected says "image_data …" in English
    return analyze_image(data, ctx)


# The stage codes stay in events; the page shows these titles (issue 17).
STAGE_TITLES = (
    pgettext_lazy("stage", "decoding"), pgettext_lazy("stage", "metadata"),
    pgettext_lazy("stage", "exposure_colour"), pgettext_lazy("stage", "sharpness_noise"),
    pgettext_lazy("stage", "composition"), pgettext_lazy("stage", "report"),
)


register(JobKind(
    name=KIND,
    title=_("Image analysis"),
    description=_("Comprehensive analysis of one image: metadata and EXIF, exposure, colour, sharpness, "
                "noise, composition, a quality score and suggestions."),
    params=AnalyzeParams,
    run=analyze,
    queue="vision",
    example=lambda user: analyze_example(),
    soft_time_limit=Setting("VISION_SOFT_TIME_LIMIT_S"),
    time_limit=Setting("VISION_TIME_LIMIT_S"),
))
