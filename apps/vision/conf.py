"""Settings of the vision app, read from the environment (see docs/vision.md)."""
from __future__ import annotations

from project.env import env_int, env_list

# Largest accepted image file, in bytes (a bigger one is a 413).
MAX_IMAGE_BYTES = env_int("VISION_MAX_IMAGE_BYTES", 10 * 1024 * 1024)
# Largest accepted image, in pixels; also Pillow's decompression-bomb limit (Image.MAX_IMAGE_PIXELS).
MAX_PIXELS = env_int("VISION_MAX_PIXELS", 40_000_000)
# Pillow format names users may send; anything else Pillow can read is refused by name.
ALLOWED_FORMATS = tuple(name.upper() for name in env_list("VISION_ALLOWED_FORMATS", "JPEG,PNG,WEBP,GIF,BMP,TIFF"))
# Celery limits of one analysis (the replaced system's CELERY_TASK_SOFT_TIME_LIMIT / TIME_LIMIT).
SOFT_TIME_LIMIT_S = env_int("VISION_SOFT_TIME_LIMIT_S", 240)
TIME_LIMIT_S = env_int("VISION_TIME_LIMIT_S", 300)
# Long side of the copy the measurements run on: verdicts are judged at screen size.
WORKING_SIZE_PX = env_int("VISION_WORKING_SIZE_PX", 1024)
# Long side of the thumbnail stored in the result (a small base64 JPEG).
THUMBNAIL_PX = env_int("VISION_THUMBNAIL_PX", 256)
