"""Settings of the completion e-mail, read from the environment (names kept from when it lived in apps.media).

Code reads them as `conf.NAME` at call time, so tests can monkeypatch a value.
"""
from __future__ import annotations

from project.env import env_float, env_int, env_str

# --- completion e-mail -----------------------------------------------------------------------
SITE_URL = env_str("MEDIA_SITE_URL", "http://localhost:8000")
EMAIL_MAX_RETRIES = env_int("MEDIA_EMAIL_MAX_RETRIES", 5)
EMAIL_RETRY_BACKOFF_S = env_float("MEDIA_EMAIL_RETRY_BACKOFF_S", 30.0)
