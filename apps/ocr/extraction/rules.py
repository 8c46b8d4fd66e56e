"""The built-in rule-based extractor: works offline on Chinese (traditional, simplified) and English text."""
from __future__ import annotations

from typing import Any

from apps.ocr.extraction.basic_info import extract_basic_info
from apps.ocr.extraction.table import extract_table


class RuleExtractor:
    """The same three-stage interface as `LlmExtractor`, without a network."""

    name = "rules"

    def basic_info(self, text: str) -> tuple[dict[str, Any], str]:
        return extract_basic_info(text), "rules"

    def table(self, text: str, basic_info: dict[str, Any] | None = None) -> tuple[dict[str, Any], str]:
        return extract_table(text, basic_info), "rules"

    def key_points(self, text: str, basic_info: dict[str, Any], figures: dict[str, Any]) -> tuple[None, str]:
        return None, "rules"  # build_summary writes its own from the figures
