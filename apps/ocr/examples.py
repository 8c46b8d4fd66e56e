"""The "Example" of `ocr.extract`: a bundled sample proposal (simplified Chinese, HKD) that runs as it is."""
from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

SAMPLE = Path(__file__).resolve().parent / "samples" / "proposal.txt"


@cache
def extract_example() -> dict[str, Any]:
    return {"params": {"file_name": "sample-proposal.txt", "ocr_content": SAMPLE.read_text(encoding="utf-8")}}
