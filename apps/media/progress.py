"""Progress reporting for media work: one bar across a multi-step pipeline, weighted by step.

Domain functions take a `Report` (`report(done, total, message)`) and never see the job
context; the kinds wrap `ctx.progress` into one, scaled to the step's share of the bar.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from apps.jobs.context import JobContext

Report = Callable[[float, float, str], None]

# The video pipeline's steps and their share of the bar (they sum to 100). Rendering and
# encoding frames dominates the wall time, the script is almost instant.
VIDEO_PIPELINE_WEIGHTS: dict[str, float] = {"script": 5.0, "images": 25.0, "audio": 20.0, "video": 50.0}


def silent(done: float, total: float, message: str = "") -> None:
    """A Report that reports nothing (shell use, tests)."""


def step_span(weights: dict[str, float], step: str) -> tuple[float, float]:
    """Where a step's progress starts and ends on the pipeline's single 0-100 bar."""
    start = 0.0
    for name, weight in weights.items():
        if name == step:
            return start, start + weight
        start += weight
    raise KeyError(f"no pipeline step {step!r}")


def ctx_report(ctx: JobContext, span: tuple[float, float] = (0.0, 100.0)) -> Report:
    """A Report that moves the job's bar from span[0] to span[1] as the work advances."""
    start, end = span

    def report(done: float, total: float, message: str = "") -> None:
        fraction = min(1.0, max(0.0, done / total)) if total else 1.0
        ctx.progress(start + (end - start) * fraction, message=message, done=done, of=total)

    return report


def ctx_stage(ctx: JobContext, weights: dict[str, float], step: str, message: str = "") -> Report:
    """Enter a pipeline step (a stage event at the step's start) and return its scaled Report."""
    span = step_span(weights, step)
    ctx.stage(step, progress=span[0], message=message)
    return ctx_report(ctx, span)
