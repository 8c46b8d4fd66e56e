"""Every `jobcast` sub-command is bound to its own module's function (no lookup by name)."""
from __future__ import annotations

import subprocess
import sys

import pytest

from apps.ops.cli import COMMANDS, build_parser
from livestack.stack import ROOT

ARGS = {"submit": ["jobs.ticker"], "tail": ["8a6f"]}


@pytest.mark.parametrize("command", COMMANDS, ids=lambda module: module.__name__.rsplit(".", 1)[-1])
def test_each_sub_command_runs_its_modules_handler(command):
    name = command.__name__.rsplit(".", 1)[-1]
    args = build_parser().parse_args([name, *ARGS.get(name, [])])
    assert args.command == name and args.func is command.handle


def test_stop_with_nothing_running_says_so(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "project", "stop"], cwd=ROOT, capture_output=True, text=True, check=False,
                          env={"PATH": "/usr/bin:/bin", "JOBCAST_RUN_DIR": str(tmp_path)}, timeout=60)
    assert proc.returncode == 0 and "nothing to stop" in proc.stdout, proc.stderr
