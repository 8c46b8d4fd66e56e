"""`jobcast stop`: signal what the pidfiles name, clean stale ones, report what is still running."""
from __future__ import annotations

import subprocess
import sys

from apps.ops.pidfiles import read_pidfiles, stop_all, worker_pidfile, write_pidfile


def test_stop_terminates_live_processes_and_removes_stale_pidfiles(tmp_path, monkeypatch):
    monkeypatch.setenv("JOBCAST_RUN_DIR", str(tmp_path))
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        write_pidfile(worker_pidfile("media+email@host"), sleeper.pid)
        write_pidfile(tmp_path / "beat.pid", 2**22 + 12345)  # no such process
        assert {p.name for p in read_pidfiles()} == {"worker-media+email", "beat"}
        outcomes = {o.name: o.outcome for o in stop_all(timeout=20)}
        assert outcomes == {"worker-media+email": "stopped", "beat": "stale pidfile removed"}
        assert sleeper.wait(10) != 0 and read_pidfiles() == []
    finally:
        sleeper.kill()


def test_a_process_that_ignores_the_signal_is_reported_still_running(tmp_path, monkeypatch):
    monkeypatch.setenv("JOBCAST_RUN_DIR", str(tmp_path))
    stubborn = subprocess.Popen([sys.executable, "-c", "import signal, time; signal.signal(signal.SIGTERM, "
                                 "signal.SIG_IGN); print('ready', flush=True); time.sleep(60)"],
                                stdout=subprocess.PIPE, text=True)
    try:
        assert stubborn.stdout.readline().strip() == "ready"
        write_pidfile(tmp_path / "worker-x.pid", stubborn.pid)
        assert [o.outcome for o in stop_all(timeout=0.5)] == ["still running"]
        assert (tmp_path / "worker-x.pid").exists()
    finally:
        stubborn.kill()
        stubborn.wait()
