"""The monitor's board and the command line's parameter parsing (no server needed)."""
from __future__ import annotations

import argparse

import pytest
from rich.console import Console

from apps.ops.terminal import MonitorBoard
from project.cli import _parse_params


def event(job_id: str, seq: int, name: str, status: str, progress: float = 0.0) -> dict:
    return {"type": "event", "job_id": job_id, "seq": seq, "event": name, "status": status, "stage": "s",
            "progress": progress, "message": f"{name} {seq}", "data": {}, "ts": "2026-01-01T00:00:00.000000+00:00"}


def test_board_follows_events_ignores_stale_ones_and_drops_finished_jobs_later():
    board = MonitorBoard(linger_s=5)
    board.load({"id": "a" * 36, "kind": "jobs.ticker", "status": "started", "stage": "", "progress": 10, "message": "",
                "seq": 3})
    board.apply(event("a" * 36, 2, "progress", "started", 5), now=0)  # older than the snapshot
    assert board.jobs["a" * 36]["progress"] == 10
    board.apply(event("a" * 36, 4, "progress", "started", 60), now=0)
    board.apply(event("a" * 36, 5, "success", "success", 100), now=1)
    assert board.jobs["a" * 36]["status"] == "success" and board.counts["success"] == 1
    board.prune(now=3)
    assert "a" * 36 in board.jobs
    board.prune(now=7)
    assert board.jobs == {}
    console = Console(record=True, width=120)
    console.print(board.render())
    assert "success: 1" in console.export_text()


def test_params_are_json_when_they_parse_else_strings():
    args = argparse.Namespace(params='{"steps": 2}', param=["interval_ms=5", "fail_at=null", "name=hello world",
                                                            "tags=[1, 2]"])
    assert _parse_params(args) == {"steps": 2, "interval_ms": 5, "fail_at": None, "name": "hello world",
                                   "tags": [1, 2]}
    with pytest.raises(ValueError):
        _parse_params(argparse.Namespace(params=None, param=["novalue"]))
