"""Pidfiles of the processes `jobcast run`, `jobcast worker` and `jobcast beat` start, and stopping them.

No Django here: `jobcast stop` must work when settings or the database are broken.
"""
from __future__ import annotations

import os
import re
import signal
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
RUN_PIDFILE = "jobcast-run.pid"


def run_dir() -> Path:
    """Where pidfiles live: JOBCAST_RUN_DIR, default `run/` in the checkout."""
    return Path(os.environ.get("JOBCAST_RUN_DIR") or ROOT / "run")


def log_dir() -> Path:
    """Where `jobcast run` writes per-process logs: JOBCAST_LOG_DIR, default `logs/`."""
    return Path(os.environ.get("JOBCAST_LOG_DIR") or ROOT / "logs")


def worker_pidfile(name: str) -> Path:
    """`run/worker-<name>.pid` for the node `<name>@host` (one file per worker name)."""
    safe = re.sub(r"[^A-Za-z0-9_.+-]", "_", name.split("@", 1)[0])
    return run_dir() / f"worker-{safe}.pid"


@dataclass(frozen=True)
class Pidfile:
    path: Path
    pid: int | None

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def alive(self) -> bool:
        return self.pid is not None and pid_alive(self.pid)


def pid_alive(pid: int) -> bool:
    """The process exists and is not a zombie (an exited child its parent has not reaped yet)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rpartition(")")[2].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def read_pidfiles(directory: Path | None = None) -> list[Pidfile]:
    """Every `*.pid` in the run directory, `jobcast run`'s own first."""
    directory = directory or run_dir()
    found = []
    for path in sorted(directory.glob("*.pid")) if directory.is_dir() else []:
        try:
            pid = int(path.read_text().strip().split()[0])
        except (OSError, ValueError, IndexError):
            pid = None
        found.append(Pidfile(path, pid))
    return sorted(found, key=lambda p: p.path.name != RUN_PIDFILE)


def write_pidfile(path: Path, pid: int | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{pid or os.getpid()}\n")


@dataclass
class StopOutcome:
    name: str
    pid: int | None
    outcome: str  # "stopped", "stale pidfile removed", "still running"


def stop_all(*, timeout: float = 60.0, cold: bool = False, directory: Path | None = None) -> list[StopOutcome]:
    """Warm shutdown (SIGTERM: finish running tasks, take no new ones) of every pidfile's process.

    `jobcast run`'s process goes first (it stops its own children); `cold` sends SIGQUIT, which
    Celery treats as a cold shutdown (running tasks are redelivered thanks to acks_late).
    """
    outcomes: list[StopOutcome] = []
    signalled: list[Pidfile] = []
    for pidfile in read_pidfiles(directory):
        if not pidfile.alive:
            pidfile.path.unlink(missing_ok=True)
            outcomes.append(StopOutcome(pidfile.name, pidfile.pid, "stale pidfile removed"))
            continue
        if pidfile.path.name != RUN_PIDFILE and any(s.path.name == RUN_PIDFILE for s in signalled):
            signalled.append(pidfile)  # a child of `jobcast run`: its parent stops it
            continue
        os.kill(pidfile.pid, signal.SIGQUIT if cold and pidfile.name.startswith("worker") else signal.SIGTERM)
        signalled.append(pidfile)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(p.alive for p in signalled):
        time.sleep(0.2)
    for pidfile in signalled:
        if pidfile.alive:
            outcomes.append(StopOutcome(pidfile.name, pidfile.pid, "still running"))
        else:
            pidfile.path.unlink(missing_ok=True)
            outcomes.append(StopOutcome(pidfile.name, pidfile.pid, "stopped"))
    return outcomes
