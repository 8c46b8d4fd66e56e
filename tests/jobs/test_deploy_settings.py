"""Production settings pass `manage.py check --deploy`, keep DEBUG off unless asked, and refuse to
start without a secret. Each run reads its own dotenv file (JOBCAST_ENV_FILE), never the
checkout's `.env` (which `scripts/run.sh` writes), so these pass in every checkout.
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRET = "k" * 10 + "-a-long-and-random-production-secret-0123456789"


@pytest.fixture
def env_file(tmp_path) -> Path:
    """An empty dotenv file for the process under test (a test may write lines to it)."""
    path = tmp_path / "jobcast.env"
    path.write_text("")
    return path


def _manage(env_file: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST", "JOBCAST_ENV_FILE"))}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True, check=False,
                          env={**clean, "DJANGO_SETTINGS_MODULE": "project.settings", "JOBCAST_ENV_FILE": str(env_file),
                               **env}, timeout=120)


def test_check_deploy_is_clean_with_production_settings(env_file):
    proc = _manage(env_file, "check", "--deploy", "--fail-level", "WARNING",
                   DJANGO_SECURE="true", DJANGO_SECRET_KEY=SECRET)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "no issues" in proc.stdout


def test_no_secret_no_start_unless_debug(env_file):
    proc = _manage(env_file, "check")
    assert proc.returncode != 0 and "DJANGO_SECRET_KEY is required" in proc.stderr
    assert _manage(env_file, "check", DJANGO_DEBUG="true").returncode == 0


def test_debug_is_off_unless_asked(env_file):
    show_debug = ("shell", "-c", "from django.conf import settings; print(settings.DEBUG)")
    proc = _manage(env_file, *show_debug, DJANGO_SECRET_KEY=SECRET)
    assert proc.stdout.strip().splitlines()[-1] == "False", proc.stdout + proc.stderr
    proc = _manage(env_file, *show_debug, DJANGO_SECRET_KEY=SECRET, DJANGO_DEBUG="true")
    assert proc.stdout.strip().splitlines()[-1] == "True", proc.stdout + proc.stderr


def test_the_dotenv_file_supplies_what_the_environment_does_not(env_file):
    env_file.write_text(f"DJANGO_SECRET_KEY={SECRET}\nDJANGO_DEBUG=true\n")
    code = f"from django.conf import settings; print(settings.SECRET_KEY == {SECRET!r}, settings.DEBUG)"
    show = ("shell", "-c", code)
    assert _manage(env_file, *show).stdout.strip().splitlines()[-1] == "True True"
    # A real environment variable wins over the file.
    assert _manage(env_file, *show, DJANGO_DEBUG="false").stdout.strip().splitlines()[-1] == "True False"
