"""Production settings: `check --deploy` clean behind TLS, and no secret (secret key, tokens,
passwords, tracebacks) in any error body or process log. DEBUG off unless asked and the refusal
to start without a secret: tests/jobs/test_deploy_settings.py (isolated from any `.env`).
"""
import os
import secrets
import subprocess
import sys

import httpx

from livestack.stack import ROOT
from tests.security.hostile_stack import SECRET_KEY


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    base.update({"DATABASE_URL": "sqlite:////tmp/jobcast-deploy-check.sqlite3", **env})
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=base, capture_output=True,
                          text=True, timeout=120)


def test_check_deploy_is_clean_with_django_secure():
    proc = _manage("check", "--deploy", "--fail-level", "WARNING", DJANGO_SECURE="true", DJANGO_DEBUG="false",
                   DJANGO_SECRET_KEY=secrets.token_urlsafe(64))
    assert proc.returncode == 0 and "no issues" in proc.stdout, proc.stdout + proc.stderr


def test_no_secret_in_error_bodies_or_logs(live):
    tokens = list(live.tokens.values())
    forbidden = [SECRET_KEY, *tokens, "alice-password", "bob-password", "Traceback", live.redis_url]
    answers = []
    with live.client("alice") as c, httpx.Client(base_url=live.base, timeout=30) as anon:
        answers += [
            anon.get("/api/jobs/"), anon.get("/api/jobs/", headers={"Authorization": "Token " + "0" * 40}),
            anon.post("/api/auth/token/", json={"username": "alice", "password": "wrong"}),
            anon.post("/api/auth/token/", content=b"{bad json", headers={"Content-Type": "application/json"}),
            anon.get("/no/such/page/"), anon.get("/api/no/such/endpoint/"), anon.get("/admin/login/?next=/x"),
            c.post("/api/jobs/", content=b"{bad json", headers={"Content-Type": "application/json"}),
            c.post("/api/jobs/", json={"kind": "jobs.ticker", "params": {"steps": "x"}}),
            c.put("/api/jobs/"), c.delete("/api/kinds/"), c.get("/api/jobs/x/events/?after=-1"),
            c.post("/api/jobs/", content=b"x" * (11 * 1024 * 1024), headers={"Content-Type": "application/json"}),
            c.get("/api/health/"), c.get("/metrics"),
            c.post("/api/visual-analysis/comprehensive/", json={"image_data": "@@@"}),
            c.post("/api/ocr/save/", json={"ocr_content": ""}),
        ]
        failing = live.submit(params={"steps": 2, "interval_ms": 0, "fail_at": 1})
        live.wait_job(failing["id"])
        job = c.get(f"/api/jobs/{failing['id']}/")
        answers.append(job)
    for r in answers:
        text = r.text + " ".join(f"{k}: {v}" for k, v in r.headers.items())
        leaked = [s for s in forbidden if s in text]
        # A failed job's error may carry its traceback to its owner; nothing else may.
        if r is job:
            leaked = [s for s in leaked if s != "Traceback"]
        assert not leaked, (r.request.url, r.status_code, leaked)
        assert "Django Version" not in r.text and "DEBUG = True" not in r.text, r.request.url
    logs = "".join(p.read_text(errors="replace") for p in live.dir.glob("*.log"))
    leaked = [s for s in [SECRET_KEY, *tokens, "alice-password", "bob-password"] if s in logs]
    assert not leaked, f"secrets in process logs: {[s[:6] + '…' for s in leaked]}"
    print(f"secrets: {len(answers)} error answers and {len(logs)} bytes of logs scanned")
