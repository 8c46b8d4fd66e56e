"""The vision app (apps.vision): accepted images and analysis limits (docs/vision.md)."""
from __future__ import annotations

from project.environment import env

# Largest accepted image file, in bytes (a bigger one is a 413).
VISION_MAX_IMAGE_BYTES = env.int("VISION_MAX_IMAGE_BYTES", 10 * 1024 * 1024)
# Largest accepted image, in pixels; also Pillow's decompression-bomb limit (Image.MAX_IMAGE_PIXELS).
VISION_MAX_PIXELS = env.int("VISION_MAX_PIXELS", 40_000_000)
# Pillow format names users may send; anything else Pillow can read is refused by name.
VISION_ALLOWED_FORMATS = tuple(name.upper() for name in env.list(
    "VISION_ALLOWED_FORMATS", default=["JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF"]))
# Celery limits of one analysis (the replaced system's CELERY_TASK_SOFT_TIME_LIMIT / TIME_LIMIT).
VISION_SOFT_TIME_LIMIT_S = env.int("VISION_SOFT_TIME_LIMIT_S", 240)
VISION_TIME_LIMIT_S = env.int("VISION_TIME_LIMIT_S", 300)
# Long side of the copy the measurements run on: verdicts are judged at screen size.
VISION_WORKING_SIZE_PX = env.int("VISION_WORKING_SIZE_PX", 1024)
# Long side of the thumbnail stored in the result (a small base64 JPEG).
VISION_THUMBNAIL_PX = env.int("VISION_THUMBNAIL_PX", 256)
