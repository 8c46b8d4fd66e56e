"""Settings of the media app, read from the environment (project/settings.py stays app-agnostic).

Code reads them as `conf.NAME` at call time, so tests can monkeypatch a value.
"""
from __future__ import annotations

from project.env import env_float, env_int, env_str

# --- limits on what one job may ask for ------------------------------------------------------
MAX_SCENES = env_int("MEDIA_MAX_SCENES", 50)
MAX_VIDEO_SCENES = env_int("MEDIA_MAX_VIDEO_SCENES", 20)
MAX_CHARACTERS = env_int("MEDIA_MAX_CHARACTERS", 12)
MAX_IMAGE_SIDE = env_int("MEDIA_MAX_IMAGE_SIDE", 2048)
MAX_VIDEO_SIDE = env_int("MEDIA_MAX_VIDEO_SIDE", 1920)
MAX_VIDEO_FPS = env_int("MEDIA_MAX_VIDEO_FPS", 30)
MAX_NARRATION_CHARS = env_int("MEDIA_MAX_NARRATION_CHARS", 20_000)
MAX_EXPORT_JOBS = env_int("MEDIA_MAX_EXPORT_JOBS", 50)

# --- script provider: "builtin" needs no network; "openai" calls an OpenAI-compatible API ----
OPENAI_BASE_URL = env_str("MEDIA_OPENAI_BASE_URL", "")  # e.g. https://api.openai.com/v1
OPENAI_API_KEY = env_str("MEDIA_OPENAI_API_KEY", "")
OPENAI_MODEL = env_str("MEDIA_OPENAI_MODEL", "gpt-4o-mini")
OPENAI_TIMEOUT_S = env_float("MEDIA_OPENAI_TIMEOUT_S", 120.0)

# --- speech --------------------------------------------------------------------------------
ESPEAK_BINARY = env_str("MEDIA_ESPEAK_BINARY", "espeak-ng")
SAMPLE_RATE = env_int("MEDIA_SAMPLE_RATE", 22050)

# --- external generation provider (the `http` provider) and its scanner ----------------------
HTTP_PROVIDER_URL = env_str("MEDIA_HTTP_PROVIDER_URL", "")  # empty: the http provider is off
HTTP_PROVIDER_TOKEN = env_str("MEDIA_HTTP_PROVIDER_TOKEN", "")
HTTP_PROVIDER_TIMEOUT_S = env_float("MEDIA_HTTP_PROVIDER_TIMEOUT_S", 30.0)
PROVIDER_SCAN_INTERVAL_S = env_float("MEDIA_PROVIDER_SCAN_INTERVAL_S", 15.0)
PROVIDER_DEADLINE_S = env_float("MEDIA_PROVIDER_DEADLINE_S", 3600.0)
PROVIDER_SCAN_BATCH = env_int("MEDIA_PROVIDER_SCAN_BATCH", 100)
# One scanner owns a provider task for this long, so overlapping scans never poll it twice.
PROVIDER_CLAIM_S = env_float("MEDIA_PROVIDER_CLAIM_S", 60.0)
