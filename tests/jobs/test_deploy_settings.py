"""Production settings pass `manage.py check --deploy`, and refuse to start without a secret."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**clean, "DJANGO_SETTINGS_MODULE": "project.settings", **env}, timeout=120)


def test_check_deploy_is_clean_with_production_settings():
    proc = _manage("check", "--deploy", "--fail-level", "WARNING",
                   DJANGO_SECURE="true", DJANGO_SECRET_KEY="k" * 10 + "-a-long-and-random-production-secret-0123456789")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "no issues" in proc.stdout


def test_no_secret_no_start_unless_debug():
    proc = _manage("check")
    assert proc.returncode != 0 and "DJANGO_SECRET_KEY is required" in proc.stderr
    assert _manage("check", DJANGO_DEBUG="true").returncode == 0
