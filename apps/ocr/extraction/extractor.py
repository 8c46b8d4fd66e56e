"""Which extractor a pipeline step uses: the LLM when configured (rules behind it), else the rules."""
from __future__ import annotations

from apps.ocr.extraction.llm import LlmConfig, LlmExtractor, Log
from apps.ocr.extraction.rules import RuleExtractor


def extractor_for(log: Log, config: LlmConfig | None = None) -> LlmExtractor | RuleExtractor:
    """`config` defaults to the settings (OCR_LLM_BASE_URL + OCR_LLM_API_KEY)."""
    config = config or LlmConfig.from_settings()
    return LlmExtractor(config, log) if config else RuleExtractor()
