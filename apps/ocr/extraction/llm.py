"""The LLM extractor: an OpenAI-compatible chat-completions API (DeepSeek and the like) over httpx.

Each stage asks for one JSON object, sends its JSON Schema in the prompt and validates the
answer against it. 429 and 5xx answers and transport errors are retried with backoff; an
answer that is still unusable (no answer, not JSON, not the schema) makes the stage fall back
to the rule-based extractor, with a `log` event saying why.
"""
from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import jsonschema
from django.conf import settings

from apps.ocr.extraction.basic_info import detect_language, extract_basic_info
from apps.ocr.extraction.headers import BONUS_COLUMNS, STABLE_COLUMNS
from apps.ocr.extraction.schemas import BASIC_INFO_SCHEMA, KEY_POINTS_SCHEMA, TABLE_SCHEMA
from apps.ocr.extraction.table import extract_table, finish_table

# A `log` callable: ctx.log in a job, anything that takes (message, **data) elsewhere.
Log = Callable[..., None]
_MAX_RETRY_AFTER_S = 30.0


class LlmError(Exception):
    """The LLM gave no usable answer (unreachable, refused, or not the asked-for JSON)."""


class LlmUnavailable(LlmError):
    """No answer after the retries: transport errors, 429/5xx, or a refusal (4xx)."""


class LlmBadAnswer(LlmError):
    """An answer came back but is not JSON matching the stage's schema."""


@dataclass(frozen=True)
class LlmConfig:
    """Where and how to call the chat-completions API."""

    base_url: str
    api_key: str
    model: str = "deepseek-chat"
    timeout_s: float = 120.0
    max_retries: int = 2
    retry_backoff_s: float = 2.0
    max_input_chars: int = 60_000

    @classmethod
    def from_settings(cls) -> LlmConfig | None:
        """The configured LLM, or None when OCR_LLM_BASE_URL or OCR_LLM_API_KEY is unset."""
        if not (settings.OCR_LLM_BASE_URL and settings.OCR_LLM_API_KEY):
            return None
        return cls(base_url=settings.OCR_LLM_BASE_URL, api_key=settings.OCR_LLM_API_KEY, model=settings.OCR_LLM_MODEL,
                   timeout_s=settings.OCR_LLM_TIMEOUT_S, max_retries=settings.OCR_LLM_MAX_RETRIES,
                   retry_backoff_s=settings.OCR_LLM_RETRY_BACKOFF_S, max_input_chars=settings.OCR_LLM_MAX_INPUT_CHARS)


def chat_json(config: LlmConfig, *, instruction: str, text: str, schema: dict[str, Any]) -> dict[str, Any]:
    """Ask for one JSON object matching `schema`; retries transient failures, validates the answer."""
    prompt = (f"{instruction}\nAnswer with a single JSON object, no prose, valid against this JSON Schema:\n"
              f"{json.dumps(schema, ensure_ascii=False)}\n\nOCR text of the proposal:\n"
              f"{text[:config.max_input_chars]}")
    body = {
        "model": config.model,
        "messages": [
            {"role": "system", "content": "You extract structured data from OCR'd insurance proposals. "
                                          "You answer with JSON only."},
            {"role": "user", "content": prompt},
        ],
        "temperature": 0,
        "response_format": {"type": "json_object"},
    }
    content = _post_with_retries(config, body)
    return _validated(content, schema)


def _post_with_retries(config: LlmConfig, body: dict[str, Any]) -> str:
    url = config.base_url.rstrip("/") + "/chat/completions"
    headers = {"Authorization": f"Bearer {config.api_key}"}
    last_problem, last_retry_after = "", None
    with httpx.Client(timeout=config.timeout_s) as client:
        for attempt in range(config.max_retries + 1):
            if attempt:
                time.sleep(_retry_delay(config, attempt, last_retry_after))
            last_retry_after = None
            try:
                response = client.post(url, json=body, headers=headers)
            except httpx.TransportError as exc:
                last_problem = f"{type(exc).__name__}: {exc}"
                continue
            if response.status_code == 429 or response.status_code >= 500:
                last_problem = f"HTTP {response.status_code}"
                last_retry_after = response.headers.get("Retry-After")
                continue
            if response.status_code >= 400:
                raise LlmUnavailable(f"the LLM refused the request: HTTP {response.status_code} {response.text[:200]}")
            try:
                return response.json()["choices"][0]["message"]["content"]
            except (ValueError, KeyError, IndexError, TypeError):
                raise LlmBadAnswer("the answer is not a chat completion") from None
    raise LlmUnavailable(f"no answer after {config.max_retries + 1} attempts ({last_problem})")


def _retry_delay(config: LlmConfig, attempt: int, retry_after: str | None) -> float:
    """Exponential backoff, or the server's Retry-After when it names one (capped)."""
    if retry_after:
        try:
            return min(float(retry_after), _MAX_RETRY_AFTER_S)
        except ValueError:
            pass
    return config.retry_backoff_s * (2 ** (attempt - 1))


def _validated(content: Any, schema: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(content, str):
        raise LlmBadAnswer("the answer has no text content")
    stripped = re.sub(r"^\s*```(?:json)?\s*|\s*```\s*$", "", content)  # models like to fence JSON
    try:
        data = json.loads(stripped)
    except ValueError:
        raise LlmBadAnswer(f"the answer is not JSON: {content[:120]!r}") from None
    try:
        jsonschema.validate(data, schema)
    except jsonschema.ValidationError as exc:
        where = "/".join(str(part) for part in exc.absolute_path) or "(root)"
        raise LlmBadAnswer(f"the answer does not match the schema at {where}: {exc.message}") from None
    return data


class LlmExtractor:
    """Extraction by the LLM, each stage falling back to the rules when its answer is unusable."""

    name = "llm"

    def __init__(self, config: LlmConfig, log: Log) -> None:
        self.config = config
        self.log = log

    def basic_info(self, text: str) -> tuple[dict[str, Any], str]:
        """Basic info and which extractor produced it (`llm` or `rules`)."""
        try:
            data = chat_json(self.config, text=text, schema=BASIC_INFO_SCHEMA, instruction=(
                "Extract the insured person, age, gender, product name, currency (ISO 4217 code), sum assured, "
                "annual premium, premium payment term in years and coverage term ('whole life', 'to age N' or "
                "'N years'). Amounts are plain numbers. Use null for anything the text does not state."))
        except LlmError as exc:
            return self._fallback("basic_info", exc, extract_basic_info(text))
        info = {field: data.get(field) for field in BASIC_INFO_SCHEMA["required"]}
        info["language"] = detect_language(text)
        return info, "llm"

    def table(self, text: str, basic_info: dict[str, Any] | None = None) -> tuple[dict[str, Any], str]:
        """The value table (the rules' column names and cross-checks) and which extractor produced it."""
        try:
            data = chat_json(self.config, text=text, schema=TABLE_SCHEMA, instruction=(
                "Extract the annual policy value table: one row per policy year. Read each column by its header "
                "words, never by its position: age, total premiums paid, guaranteed cash value, annual or "
                "reversionary bonus (non_guaranteed_reversionary_bonus), terminal bonus or dividend "
                "(non_guaranteed_terminal_bonus), any other single non-guaranteed bonus (non_guaranteed_bonus), "
                "total surrender value (a cash value that is the table's only value counts as the total) and "
                "death benefit; null where the table has no such column. Amounts are plain numbers in units of "
                "the currency (multiply figures given in 万 by 10000)."))
        except LlmError as exc:
            return self._fallback("table", exc, extract_table(text, basic_info))
        return _table_from_rows(data["rows"], basic_info), "llm"

    def key_points(self, text: str, basic_info: dict[str, Any],
                   figures: dict[str, Any]) -> tuple[list[str] | None, str]:
        """Key points of the plan in the proposal's language (None: let the summary build its own)."""
        try:
            data = chat_json(self.config, text=text, schema=KEY_POINTS_SCHEMA, instruction=(
                "Write the key points a buyer should know about this plan (benefits, guarantees, risks, "
                "important dates), in the language of the proposal. These figures were computed from its "
                f"value table and are correct: {json.dumps(figures, ensure_ascii=False)}"))
        except LlmError as exc:
            self._fallback("summary", exc, None)
            return None, "rules"
        return data["key_points"], "llm"

    def _fallback(self, stage: str, exc: LlmError, result: Any) -> tuple[Any, str]:
        self.log(f"LLM answer unusable for {stage}; used the rule-based extractor", reason=str(exc),
                 error_type=type(exc).__name__, stage=stage)
        return result, "rules"


def _table_from_rows(raw_rows: list[dict[str, Any]], basic_info: dict[str, Any] | None = None) -> dict[str, Any]:
    """The rules' table from validated LLM rows: same column names, one row per year, same cross-checks."""
    rows: dict[int, dict[str, Any]] = {}
    warnings = []
    for raw in raw_rows:
        year = raw["policy_year"]
        if year in rows:
            warnings.append({"policy_year": year, "code": "duplicate_year",
                             "message": f"policy year {year} appears again; kept the first"})
            continue
        rows[year] = {column: raw.get(column) for column in STABLE_COLUMNS}
    columns = [c for c in STABLE_COLUMNS if any(row[c] is not None for row in rows.values())]
    if any(c in columns for c in BONUS_COLUMNS[1:]) and "non_guaranteed_bonus" in columns:
        columns.remove("non_guaranteed_bonus")  # it is then the sum of the named bonuses, recomputed
    return finish_table(list(rows.values()), columns, basic_info, warnings)
