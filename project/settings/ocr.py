"""The OCR app (apps.ocr): pipeline limits and retries, input limits, the LLM extractor (docs/ocr.md)."""
from __future__ import annotations

from project.environment import env

# Celery limits of each pipeline step (the replaced system's 30-minute CELERY_TASK_TIME_LIMIT).
OCR_SOFT_TIME_LIMIT_S = env.int("OCR_SOFT_TIME_LIMIT_S", 1740)
OCR_TIME_LIMIT_S = env.int("OCR_TIME_LIMIT_S", 1800)
# Automatic retries of a failed step (transient errors only), and the first backoff (doubles).
OCR_STEP_MAX_RETRIES = env.int("OCR_STEP_MAX_RETRIES", 2)
OCR_RETRY_BACKOFF_S = env.float("OCR_RETRY_BACKOFF_S", 2.0)

# Longest OCR text accepted, in characters (the request body limit JOBS_MAX_BODY_BYTES applies too).
OCR_MAX_TEXT_CHARS = env.int("OCR_MAX_TEXT_CHARS", 2_000_000)
# PDF uploads: the text layer of at most this many pages is read.
OCR_PDF_MAX_PAGES = env.int("OCR_PDF_MAX_PAGES", 300)

# The LLM extractor (any OpenAI-compatible chat-completions API, e.g. DeepSeek) is used when
# both the base URL and the key are set; otherwise the rule-based extractor runs alone.
OCR_LLM_BASE_URL = env.str("OCR_LLM_BASE_URL", "")
OCR_LLM_API_KEY = env.str("OCR_LLM_API_KEY", "")
OCR_LLM_MODEL = env.str("OCR_LLM_MODEL", "deepseek-chat")
OCR_LLM_TIMEOUT_S = env.float("OCR_LLM_TIMEOUT_S", 120.0)
OCR_LLM_MAX_RETRIES = env.int("OCR_LLM_MAX_RETRIES", 2)
OCR_LLM_RETRY_BACKOFF_S = env.float("OCR_LLM_RETRY_BACKOFF_S", 2.0)
# Text beyond this many characters is not sent to the LLM (cost and context window).
OCR_LLM_MAX_INPUT_CHARS = env.int("OCR_LLM_MAX_INPUT_CHARS", 60_000)

# Diagnostics params of ocr.extract (fail_stage, stage_pause_ms): staff only, and only while
# this is true. They let an operator rehearse a failing or slow pipeline on a live system.
OCR_STAFF_DIAGNOSTICS = env.bool("OCR_STAFF_DIAGNOSTICS", True)
OCR_MAX_STAGE_PAUSE_MS = env.int("OCR_MAX_STAGE_PAUSE_MS", 5000)
