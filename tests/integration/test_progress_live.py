"""celery-progress compatibility end to end: a plain Celery task with a ProgressRecorder, run by the
real worker, read through `/celery-progress/<task_id>/` and `/ws/progress/<task_id>/`."""
from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import uuid

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from livestack.stack import ROOT, wait_until

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def alice_id(stack) -> int:
    out = stack.manage("shell", "-c", "from django.contrib.auth.models import User; "
                                      "print(User.objects.get(username='alice').pk)")
    return int(out.splitlines()[-1])


def send_demo(stack, owner_id: int, **kwargs) -> str:
    """What a celery-progress user's view does: start the task (as the stack's code), hand its id to the page."""
    code = ("import django, json, sys; django.setup(); from project.celery import app; "
            "print(app.send_task('ops.progress_demo', kwargs=json.loads(sys.argv[1]), queue='jobs', "
            f"headers={{'jobcast_owner_id': {int(owner_id)}}}).id)")
    proc = subprocess.run([sys.executable, "-c", code, json.dumps(kwargs)], cwd=ROOT, env=stack.env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.split()[-1]


def poll_until_complete(stack, task_id: str, user: str = "alice") -> list[dict]:
    seen: list[dict] = []
    with stack.client(user) as c:
        def complete():
            r = c.get(f"/celery-progress/{task_id}/")
            assert r.status_code == 200, r.text
            seen.append(r.json())
            return r.json()["complete"]
        wait_until(complete, 90, 0.05, what=f"task {task_id} to complete")
    return seen


def test_recorder_task_becomes_a_job_and_polls_like_celery_progress(stack, alice_id):
    # ~4 s of progress: a poll every 50 ms sees it even on a loaded machine (0.9 s did not, once).
    task_id = send_demo(stack, alice_id, steps=10, interval_ms=400)
    seen = poll_until_complete(stack, task_id)
    assert seen[-1] == {"state": "SUCCESS", "complete": True, "success": True,
                        "progress": {"pending": False, "current": 100, "total": 100, "percent": 100},
                        "result": "counted to 10"}
    progress = [s for s in seen if s["state"] == "PROGRESS"]
    assert progress, f"no PROGRESS answer among {[s['state'] for s in seen]}"
    assert set(progress[0]) == {"state", "complete", "success", "progress"}
    assert set(progress[0]["progress"]) == {"pending", "current", "total", "percent", "description"}
    assert progress[0]["progress"]["total"] == 10 and progress[0]["progress"]["description"].startswith("step ")
    assert all(s["state"] in ("PENDING", "STARTED", "PROGRESS", "SUCCESS") for s in seen)
    with stack.client("alice") as c:  # and it is a Jobcast job like any other
        jobs = c.get("/api/jobs/", params={"kind": "ops.celery_task"}).json()["results"]
    job = next(j for j in jobs if j["task_id"] == task_id)
    assert job["status"] == "success" and job["params"]["task"] == "ops.progress_demo"
    events = [e["event"] for e in stack.events(job["id"])]
    assert events[:2] == ["pending", "started"] and events[-1] == "success" and "progress" in events
    with stack.client("bob") as bob:  # unlike celery-progress: only the owner (and staff)
        assert bob.get(f"/celery-progress/{task_id}/").status_code == 404
    with stack.client("root") as root:
        assert root.get(f"/celery-progress/{task_id}/").json()["state"] == "SUCCESS"


def test_failing_task_answers_failure_and_unknown_task_is_pending(stack, alice_id):
    task_id = send_demo(stack, alice_id, steps=5, interval_ms=20, fail_at=2)
    final = poll_until_complete(stack, task_id)[-1]
    assert final == {"state": "FAILURE", "complete": True, "success": False,
                     "progress": {"pending": False, "current": 100, "total": 100, "percent": 100},
                     "result": "failed at step 2 as asked"}
    with stack.client("alice") as c:
        assert c.get(f"/celery-progress/{uuid.uuid4()}/").json() == {
            "state": "PENDING", "complete": False, "success": None,
            "progress": {"pending": True, "current": 0, "total": 100, "percent": 0}}
    import httpx

    assert httpx.get(f"{stack.base}/celery-progress/{task_id}/").status_code in (401, 403)


async def test_websocket_sends_celery_progress_frames_until_complete(stack, alice_id):
    job = stack.submit(params={"steps": 8, "interval_ms": 100})  # any Jobcast job has a task id too
    frames: list[dict] = []
    url = f"{stack.ws_base()}/ws/progress/{job['task_id']}/"
    async with connect(url, additional_headers=stack.ws_headers(), open_timeout=20) as ws:
        await ws.send(json.dumps({"type": "check_task_completion"}))
        while not (frames and frames[-1]["complete"]):
            frames.append(json.loads(await asyncio.wait_for(ws.recv(), 60)))
    assert frames[-1]["state"] == "SUCCESS" and frames[-1]["result"]["steps"] == 8
    assert any(f["state"] == "PROGRESS" and f["progress"]["total"] == 8 for f in frames)
    async with connect(url, additional_headers=stack.ws_headers("bob"), open_timeout=20) as ws:
        with pytest.raises(ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 20)
        assert ws.close_code == 4404
