"""`jobcast status` (the real command, a subprocess) draws its tables in the terminal's language; --json stays neutral."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from apps.jobs.services import job_create
from livestack.stack import ROOT
from tests.database_url import subprocess_database_url

pytestmark = pytest.mark.django_db(transaction=True)  # the subprocess reads what this test committed


@pytest.fixture
def jobcast(settings, tmp_path, alice):
    job_create(owner=alice, kind="jobs.ticker", params={"steps": 1, "interval_ms": 0, "fail_at": None})
    base = {name: value for name, value in os.environ.items()
            if name not in ("JOBCAST_LANGUAGE", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    base.update({"DJANGO_SETTINGS_MODULE": "project.settings", "DATABASE_URL": subprocess_database_url(),
                 "REDIS_URL": settings.TEST_REDIS_URL, "CELERY_BROKER_URL": settings.TEST_REDIS_URL,
                 "CHANNEL_LAYER_URL": settings.TEST_REDIS_URL, "JOBCAST_RUN_DIR": str(tmp_path), "COLUMNS": "200"})

    def run(lang: str, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "project", "status", "--timeout", "0.5", *args], cwd=ROOT,
                              env={**base, "LANG": lang}, capture_output=True, text=True, timeout=120)
    return run


def test_a_chinese_terminal_reads_the_status_tables_in_chinese(jobcast):
    proc = jobcast("zh_CN.UTF-8")
    assert "Traceback" not in proc.stderr, proc.stderr
    out = proc.stdout
    for title in ("健康状况", "工作进程（0 个在线）", "队列（等待中的消息）", "各状态的任务数", "已注册的任务类型"):
        assert title in out, out
    assert "数据库" in out and "正常" in out  # the database row of the health table, reachable
    assert "jobs.ticker" in out and "pending" in out  # names and status codes stay as they are
    assert "registered job kinds" not in out and "jobs by status" not in out


def test_an_english_terminal_reads_the_source(jobcast):
    out = jobcast("en_US.UTF-8").stdout
    assert "registered job kinds" in out and "jobs by status" in out and "workers (0 alive)" in out
    assert "已注册的任务类型" not in out


def test_json_output_is_the_same_in_every_language(jobcast):
    chinese, english = jobcast("zh_CN.UTF-8", "--json"), jobcast("C.UTF-8", "--json")
    assert json.loads(chinese.stdout) == json.loads(english.stdout)
    assert json.loads(chinese.stdout)["jobs"] == {"pending": 1}
