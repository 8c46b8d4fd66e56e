"""The monitor's board and the status tables (no server needed)."""
from __future__ import annotations

import io

import pytest
from rich.console import Console

from apps.ops.terminal import MonitorBoard, print_status


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


def status_report(worker_names: list[str]) -> dict:
    """A `jobcast status --json` report (plain data) with these workers."""
    worker = {"queues": ["celery", "email", "files", "jobs", "maintenance", "media", "media.audio", "media.video",
                         "ocr", "testing"], "active": [{"id": "5d0e7c1c-0b1e-4e57-9d55-3d6a1f4b2c11",
                                                        "name": "jobs.run", "job_id": "0f7c6a2e-3b1d-4c9e-8a51",
                                                        "started": 1.0}],
              "reserved": [], "pid": 41234, "pool": "prefork", "concurrency": 4, "uptime_s": 86400,
              "processed": 123456}
    return {"health": {"database": "ok", "broker": "ok", "channel_layer": "ok", "workers": "ok"},
            "workers": {name: worker for name in worker_names}, "queues": {"jobs": 0}, "jobs": {"success": 3},
            "kinds": [{"kind": "jobs.ticker", "queue": "jobs"}], "pidfiles": []}


@pytest.mark.parametrize("terminal", [False, True], ids=["pipe", "terminal"])
def test_status_tables_never_cut_worker_names_at_80_columns(terminal):
    names = ["celery-video-encoder@build-host-01.example.internal", "all@vm"]
    console = Console(file=io.StringIO(), width=80, color_system=None, force_terminal=terminal)
    print_status(status_report(names), console)
    text = console.file.getvalue()
    assert all(name in text for name in names) and "…" not in text
    if not terminal:  # a pipe keeps every row on one line (for grep): the queue list too
        worker_rows = [line for line in text.splitlines() if "prefork" in line]
        assert len(worker_rows) == len(names) and all("ocr, testing" in line for line in worker_rows)
    assert console.width == 80
