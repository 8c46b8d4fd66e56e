"""`jobcast --help` in the terminal's language: our help texts and argparse's own words."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _help(lang: str, *command: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "JOBCAST_LANGUAGE")}
    env["LANG"] = lang
    done = subprocess.run([sys.executable, "-m", "project", *command, "--help"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("command", [(), ("status",), ("stop",), ("submit",)])
def test_help_is_chinese_in_a_chinese_terminal(command):
    text = _help("zh_CN.UTF-8", *command)
    assert text.startswith("用法：jobcast")
    assert "显示此帮助信息并退出" in text
    assert "usage:" not in text and "show this help message" not in text


def test_help_stays_english_elsewhere():
    text = _help("en_US.UTF-8", "status")
    assert text.startswith("usage: jobcast status")
    assert "machine-readable output" in text and "show this help message and exit" in text
