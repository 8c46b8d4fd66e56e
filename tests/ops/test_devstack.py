"""`jobcast run`'s supervision (honcho): output to logs/<name>.log, and `jobcast stop` stops it all from outside."""
from __future__ import annotations

import subprocess
import sys

from apps.ops.devstack import supervise
from apps.ops.pidfiles import RUN_PIDFILE, pid_alive, read_pidfiles, stop_all
from livestack.stack import ROOT, wait_until

# A stand-in for `jobcast run` after its set-up: its pidfile, then two long-running processes under honcho.
SUPERVISOR = """
import sys, pathlib
from apps.ops.devstack import SIGNALLED, supervise
from apps.ops.pidfiles import RUN_PIDFILE, run_dir, write_pidfile
write_pidfile(run_dir() / RUN_PIDFILE)
child = "import os, time; print('ready', os.getpid(), flush=True); time.sleep(120)"
code = supervise({"one": [sys.executable, "-c", child], "two": [sys.executable, "-c", child]}, pathlib.Path(sys.argv[1]))
(run_dir() / RUN_PIDFILE).unlink()
sys.exit(0 if code in SIGNALLED else 1)
"""


def child_pid(log) -> int | None:
    text = log.read_text() if log.exists() else ""
    return int(text.split()[1]) if text.startswith("ready") else None


def test_stop_ends_the_supervisor_and_every_process_it_runs(tmp_path, monkeypatch):
    monkeypatch.setenv("JOBCAST_RUN_DIR", str(tmp_path))
    supervisor = subprocess.Popen([sys.executable, "-c", SUPERVISOR, str(tmp_path)], cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        pids = [wait_until(lambda log=tmp_path / f"{name}.log": child_pid(log), 60, what=f"{name}'s first line")
                for name in ("one", "two")]
        assert [p.name for p in read_pidfiles()] == [RUN_PIDFILE.removesuffix(".pid")]
        outcomes = stop_all(timeout=30)
        assert [(o.pid, o.outcome) for o in outcomes] == [(supervisor.pid, "stopped")]
        assert supervisor.wait(10) == 0 and read_pidfiles() == []
        assert not any(pid_alive(pid) for pid in pids)
    finally:
        supervisor.kill()
        supervisor.wait(10)


def test_when_one_process_exits_the_others_are_stopped(tmp_path, monkeypatch):
    monkeypatch.setenv("JOBCAST_RUN_DIR", str(tmp_path))
    slow = "import os, time; print('ready', os.getpid(), flush=True); time.sleep(120)"
    # `quick` ends once `slow` is up (its first line reached its log), with a deadline.
    quick = ("import pathlib, sys, time; log = pathlib.Path(sys.argv[1]); deadline = time.monotonic() + 60\n"
             "while time.monotonic() < deadline and not (log.exists() and log.read_text()): time.sleep(0.05)\n"
             "print('bye')")
    code = supervise({"slow": [sys.executable, "-c", slow],
                      "quick": [sys.executable, "-c", quick, str(tmp_path / "slow.log")]}, tmp_path)
    assert code == 0 and (tmp_path / "quick.log").read_text() == "bye\n"
    assert not pid_alive(child_pid(tmp_path / "slow.log"))  # honcho stopped it when `quick` ended
