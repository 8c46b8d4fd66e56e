"""Fixtures of the vision tests; image factories live in tests/vision/factories.py."""
from __future__ import annotations

import pytest


class StageRecorder:
    """A reporter that remembers the stages it was told about (what a JobContext would emit)."""

    def __init__(self) -> None:
        self.stages: list[tuple[str, float | None]] = []

    def stage(self, name: str, progress: float | None = None, message: str = "", **data) -> None:
        self.stages.append((name, progress))


@pytest.fixture
def recorder() -> StageRecorder:
    return StageRecorder()
