"""Fixtures of the OCR tests: the three proposal texts in tests/fixtures/ocr/."""
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ocr"


def proposal_text(name: str) -> str:
    """`zh_hant` (30-row table), `zh_hans` or `en`."""
    return (FIXTURES / f"proposal_{name}.txt").read_text(encoding="utf-8")


@pytest.fixture
def zh_hant() -> str:
    return proposal_text("zh_hant")


@pytest.fixture
def zh_hans() -> str:
    return proposal_text("zh_hans")


@pytest.fixture
def en() -> str:
    return proposal_text("en")
