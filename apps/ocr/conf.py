"""Settings of the OCR app, read from the environment (see docs/ocr.md)."""
from __future__ import annotations

from project.env import env_bool, env_float, env_int, env_str

# Celery limits of each pipeline step (the replaced system's 30-minute CELERY_TASK_TIME_LIMIT).
SOFT_TIME_LIMIT_S = env_int("OCR_SOFT_TIME_LIMIT_S", 1740)
TIME_LIMIT_S = env_int("OCR_TIME_LIMIT_S", 1800)
# Automatic retries of a failed step (transient errors only), and the first backoff (doubles).
STEP_MAX_RETRIES = env_int("OCR_STEP_MAX_RETRIES", 2)
RETRY_BACKOFF_S = env_float("OCR_RETRY_BACKOFF_S", 2.0)

# Longest OCR text accepted, in characters (the request body limit JOBS_MAX_BODY_BYTES applies too).
MAX_TEXT_CHARS = env_int("OCR_MAX_TEXT_CHARS", 2_000_000)
# PDF uploads: the text layer of at most this many pages is read.
PDF_MAX_PAGES = env_int("OCR_PDF_MAX_PAGES", 300)

# The LLM extractor (any OpenAI-compatible chat-completions API, e.g. DeepSeek) is used when
# both the base URL and the key are set; otherwise the rule-based extractor runs alone.
LLM_BASE_URL = env_str("OCR_LLM_BASE_URL", "")
LLM_API_KEY = env_str("OCR_LLM_API_KEY", "")
LLM_MODEL = env_str("OCR_LLM_MODEL", "deepseek-chat")
LLM_TIMEOUT_S = env_float("OCR_LLM_TIMEOUT_S", 120.0)
LLM_MAX_RETRIES = env_int("OCR_LLM_MAX_RETRIES", 2)
LLM_RETRY_BACKOFF_S = env_float("OCR_LLM_RETRY_BACKOFF_S", 2.0)
# Text beyond this many characters is not sent to the LLM (cost and context window).
LLM_MAX_INPUT_CHARS = env_int("OCR_LLM_MAX_INPUT_CHARS", 60_000)

# Diagnostics params of ocr.extract (fail_stage, stage_pause_ms): staff only, and only while
# this is true. They let an operator rehearse a failing or slow pipeline on a live system.
STAFF_DIAGNOSTICS = env_bool("OCR_STAFF_DIAGNOSTICS", True)
MAX_STAGE_PAUSE_MS = env_int("OCR_MAX_STAGE_PAUSE_MS", 5000)
