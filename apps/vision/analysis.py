"""The comprehensive image analysis: decoding → metadata → exposure and colour → sharpness and
noise → composition → report, each stage announced to a reporter (a JobContext in a job).

Runs anywhere: a Celery worker, the web process when Celery is off, a test or a shell.
"""
from __future__ import annotations

import base64
import io
from typing import Any, Protocol

import numpy as np
from django.conf import settings
from PIL import Image, ImageOps

from apps.jobs.messages import event_message
from apps.vision import measurements, scoring
from apps.vision.images import open_image
from apps.vision.metadata import read_exif, read_metadata

# (stage name, progress when it starts, what it does) in the order they run.
STAGES: tuple[tuple[str, float, str], ...] = (
    ("decoding", 5, event_message("Decoding the image")),
    ("metadata", 15, event_message("Reading format and EXIF metadata")),
    ("exposure_colour", 30, event_message("Measuring exposure and colour")),
    ("sharpness_noise", 55, event_message("Measuring sharpness and noise")),
    ("composition", 75, event_message("Assessing composition")),
    ("report", 90, event_message("Scoring and writing suggestions")),
)
NOISE_CROP_PX = 768


class StageReporter(Protocol):
    """What the analysis needs from its caller: JobContext has it, so does a test's recorder."""

    def stage(self, name: str, progress: float | None = None, message: str = "", **data: Any) -> None: ...


def analyze_image(data: bytes, reporter: StageReporter) -> dict[str, Any]:
    """Analyse one image file; returns a small JSON-able report (no pixel data but a thumbnail)."""
    stages = iter(STAGES)

    def enter() -> None:
        name, progress, message = next(stages)
        reporter.stage(name, progress, message)

    enter()  # decoding
    image = open_image(data)
    upright = to_rgb(ImageOps.exif_transpose(image) or image)
    working = upright.copy()
    working.thumbnail((settings.VISION_WORKING_SIZE_PX, settings.VISION_WORKING_SIZE_PX), Image.Resampling.LANCZOS)
    rgb = np.asarray(working, dtype=np.float32)
    y = measurements.luma(rgb)

    enter()  # metadata
    result: dict[str, Any] = {"image": read_metadata(image, size_bytes=len(data)), "exif": read_exif(image)}
    result["image"].update(upright_width=upright.width, upright_height=upright.height,
                           analysed_width=working.width, analysed_height=working.height)
    result["privacy"] = {"gps_present": result["exif"]["gps_present"],
                         "concerns": ["gps_location"] if result["exif"]["gps_present"] else []}

    enter()  # exposure and colour
    result["histogram"] = measurements.histogram_stats(rgb, y)
    result["exposure"] = measurements.measure_exposure(y, rgb)
    result["contrast"] = measurements.measure_contrast(y)
    result["saturation"] = measurements.measure_saturation(rgb)
    result["colour_cast"] = measurements.measure_colour_cast(rgb)
    result["palette"] = measurements.dominant_colours(working)

    enter()  # sharpness and noise
    result["sharpness"] = measurements.measure_sharpness(y)
    # Noise is a per-pixel property: measured at full resolution (downscaling averages it away).
    result["noise"] = measurements.estimate_noise(measurements.luma(np.asarray(_centre_crop(upright),
                                                                                dtype=np.float32)))

    enter()  # composition
    result["composition"] = {**measurements.aspect(upright.width, upright.height),
                             **measurements.assess_composition(y)}

    enter()  # report
    result["thumbnail"] = thumbnail(upright)
    result["quality"] = scoring.quality_score(result)
    result["suggestions"] = scoring.suggestions(result)
    return result


def to_rgb(image: Image.Image) -> Image.Image:
    """8-bit RGB for measuring: 16-bit and float images rescaled, transparency laid on white."""
    if image.mode in ("I", "F") or image.mode.startswith("I;16"):
        values = np.asarray(image, dtype=np.float32)
        top = 65535.0 if image.mode.startswith("I;16") or values.max() > 255 else 255.0
        image = Image.fromarray(np.clip(values * (255.0 / top), 0, 255).astype(np.uint8))
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return image.convert("RGB")


def thumbnail(image: Image.Image) -> dict[str, Any]:
    """A small JPEG as a data: URL, so a stored result stays a few kilobytes."""
    small = image.copy()
    small.thumbnail((settings.VISION_THUMBNAIL_PX, settings.VISION_THUMBNAIL_PX), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    small.save(buffer, "JPEG", quality=75, optimize=True)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return {"data_url": f"data:image/jpeg;base64,{encoded}", "width": small.width, "height": small.height,
            "bytes": buffer.tell()}


def _centre_crop(image: Image.Image) -> Image.Image:
    w, h = image.size
    cw, ch = min(w, NOISE_CROP_PX), min(h, NOISE_CROP_PX)
    left, top = (w - cw) // 2, (h - ch) // 2
    return image.crop((left, top, left + cw, top + ch))
