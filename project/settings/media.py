"""The media app (apps.media): per-job limits, script and generation providers, speech, e-mail."""
from __future__ import annotations

from project.environment import env

# --- limits on what one job may ask for ------------------------------------------------------
MEDIA_MAX_SCENES = env.int("MEDIA_MAX_SCENES", 50)
MEDIA_MAX_VIDEO_SCENES = env.int("MEDIA_MAX_VIDEO_SCENES", 20)
MEDIA_MAX_CHARACTERS = env.int("MEDIA_MAX_CHARACTERS", 12)
MEDIA_MAX_IMAGE_SIDE = env.int("MEDIA_MAX_IMAGE_SIDE", 2048)
MEDIA_MAX_VIDEO_SIDE = env.int("MEDIA_MAX_VIDEO_SIDE", 1920)
MEDIA_MAX_VIDEO_FPS = env.int("MEDIA_MAX_VIDEO_FPS", 30)
MEDIA_MAX_NARRATION_CHARS = env.int("MEDIA_MAX_NARRATION_CHARS", 20_000)
MEDIA_MAX_EXPORT_JOBS = env.int("MEDIA_MAX_EXPORT_JOBS", 50)

# --- script provider: "builtin" needs no network; "openai" calls an OpenAI-compatible API ----
MEDIA_OPENAI_BASE_URL = env.str("MEDIA_OPENAI_BASE_URL", "")  # e.g. https://api.openai.com/v1
MEDIA_OPENAI_API_KEY = env.str("MEDIA_OPENAI_API_KEY", "")
MEDIA_OPENAI_MODEL = env.str("MEDIA_OPENAI_MODEL", "gpt-4o-mini")
MEDIA_OPENAI_TIMEOUT_S = env.float("MEDIA_OPENAI_TIMEOUT_S", 120.0)

# --- speech --------------------------------------------------------------------------------
MEDIA_ESPEAK_BINARY = env.str("MEDIA_ESPEAK_BINARY", "espeak-ng")
MEDIA_SAMPLE_RATE = env.int("MEDIA_SAMPLE_RATE", 22050)

# --- external generation provider (the `http` provider) and its scanner ----------------------
MEDIA_HTTP_PROVIDER_URL = env.str("MEDIA_HTTP_PROVIDER_URL", "")  # empty: the http provider is off
MEDIA_HTTP_PROVIDER_TOKEN = env.str("MEDIA_HTTP_PROVIDER_TOKEN", "")
MEDIA_HTTP_PROVIDER_TIMEOUT_S = env.float("MEDIA_HTTP_PROVIDER_TIMEOUT_S", 30.0)
# How often beat runs the scanner (CELERY_BEAT_SCHEDULE, whole seconds, at least 1).
MEDIA_PROVIDER_SCAN_INTERVAL_S = env.float("MEDIA_PROVIDER_SCAN_INTERVAL_S", 15.0)
MEDIA_PROVIDER_DEADLINE_S = env.float("MEDIA_PROVIDER_DEADLINE_S", 3600.0)
MEDIA_PROVIDER_SCAN_BATCH = env.int("MEDIA_PROVIDER_SCAN_BATCH", 100)
# One scanner owns a provider task for this long, so overlapping scans never poll it twice.
MEDIA_PROVIDER_CLAIM_S = env.float("MEDIA_PROVIDER_CLAIM_S", 60.0)

