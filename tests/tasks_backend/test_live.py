"""JobcastBackend on the real stack: enqueue in one process, run on a Celery worker, follow over
daphne's WebSocket and REST, read the TaskResult back in yet another process."""
from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from datetime import datetime

import pytest

from livestack.stack import ROOT, ws_collect

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="function")]


def _run(stack, *args: str) -> dict:
    proc = subprocess.run([sys.executable, "-m", "tests.tasks_backend.stack_tasks", *args], cwd=ROOT, env=stack.env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def enqueue(stack, name: str, *args, owner: str = "", options: dict | None = None, **kwargs) -> dict:
    """`sample_tasks.<name>.enqueue(*args, **kwargs)` in a process of its own, inside owned_by(owner)."""
    return _run(stack, "enqueue", name, json.dumps(args), json.dumps(kwargs), owner, json.dumps(options or {}))


def task_result(stack, result_id: str) -> dict:
    """`default_task_backend.get_result(id)` in a process of its own."""
    return _run(stack, "result", result_id)


async def test_progress_is_seen_live_and_the_result_read_from_another_process(stack):
    enqueued = enqueue(stack, "count_rows", owner="alice", rows=20, interval_ms=200)
    assert enqueued["status"] == "READY"
    frames, _ = await ws_collect(f"{stack.ws_base()}/ws/jobs/{enqueued['id']}/", stack.ws_headers("alice"))
    snapshot, events = frames[0], [f for f in frames if f.get("type") == "event"]
    assert snapshot["type"] == "snapshot" and snapshot["job"]["kind"] == "django.task"
    live = [e for e in events if e["seq"] > snapshot["job"]["seq"]]
    assert any(e["event"] == "progress" for e in live), "no progress event arrived live"
    assert "row 20 of 20" in [e["message"] for e in events if e["event"] == "progress"]
    assert events[-1]["event"] == "success"
    result = task_result(stack, enqueued["id"])
    assert result["status"] == "SUCCESSFUL"
    assert result["return_value"] == {"rows": 20, "attempt": 1, "job_id": enqueued["id"]}
    assert result["attempts"] == 1 and ":" in result["worker_ids"][0]
    assert result["enqueued_at"] <= result["started_at"] <= result["finished_at"]
    assert (result["args"], result["kwargs"]) == ([], {"rows": 20, "interval_ms": 200})


async def test_a_failing_task_is_retried_then_failed_with_tracebacks(stack):
    enqueued = enqueue(stack, "explode", "row 7 is broken", owner="alice")
    job = stack.wait_job(enqueued["id"], user="alice")
    assert job["status"] == "failure" and job["attempt"] == 3
    retries = [e for e in stack.events(enqueued["id"], user="alice") if e["event"] == "retry"]
    assert len(retries) == 2
    result = task_result(stack, enqueued["id"])
    assert result["status"] == "FAILED" and result["attempts"] == 3
    assert [e["exception_class_path"] for e in result["errors"]] == ["tests.tasks_backend.sample_tasks.RowError"] * 3
    assert all("row 7 is broken" in e["traceback"] and "in explode" in e["traceback"] for e in result["errors"])


async def test_async_tasks_run_on_the_worker(stack):
    enqueued = enqueue(stack, "async_progress", owner="alice", steps=5)
    assert stack.wait_job(enqueued["id"], user="alice")["status"] == "success"
    again = enqueue(stack, "async_sum", [1, 2, 3], owner="alice")
    assert stack.wait_job(again["id"], user="alice")["result"] == 6
    assert task_result(stack, enqueued["id"])["return_value"] == 5


async def test_run_after_keeps_the_job_pending_then_starts_it(stack):
    enqueued = enqueue(stack, "add", 2, 3, owner="alice", options={"run_after_s": 5})
    job = stack.job(enqueued["id"], user="alice")
    assert job["status"] == "pending" and "starts at" in job["message"]
    planned = datetime.fromisoformat(stack.events(enqueued["id"], user="alice")[0]["data"]["run_after"])
    done = stack.wait_job(enqueued["id"], user="alice")
    assert done["status"] == "success" and done["result"] == 5
    assert datetime.fromisoformat(done["started_at"]) >= planned


async def test_ownerless_tasks_are_staff_only_and_priority_and_queue_map(stack):
    enqueued = enqueue(stack, "urgent_file_task")  # priority=100, queue_name="files"; no owner
    with stack.client("alice") as alice:
        assert alice.get(f"/api/jobs/{enqueued['id']}/").status_code == 404
        assert enqueued["id"] not in [j["id"] for j in alice.get("/api/jobs/").json()["results"]]
    _, code = await ws_collect(f"{stack.ws_base()}/ws/jobs/{enqueued['id']}/", stack.ws_headers("alice"))
    assert code == 4404
    job = stack.wait_job(enqueued["id"], user="root")
    assert (job["status"], job["priority"], job["queue"], job["result"]) == ("success", 9, "files", "done")
    assert task_result(stack, enqueued["id"])["task"]["priority"] == 100


async def test_owned_tasks_reach_the_owners_feed(stack):
    from websockets.asyncio.client import connect

    async with connect(f"{stack.ws_base()}/ws/jobs/", additional_headers=stack.ws_headers("alice")) as feed:
        await feed.send(json.dumps({"action": "ping"}))
        assert json.loads(await asyncio.wait_for(feed.recv(), 20))["type"] == "pong"  # joined its groups
        nobodys = await asyncio.to_thread(enqueue, stack, "add", 2, 2)
        await asyncio.to_thread(stack.wait_job, nobodys["id"], user="root")
        enqueued = await asyncio.to_thread(enqueue, stack, "add", 1, 1, owner="alice")
        seen: list[str] = []
        while "success" not in seen:
            frame = json.loads(await asyncio.wait_for(feed.recv(), 60))
            assert frame.get("job_id") != nobodys["id"], "an ownerless task's event reached a user's feed"
            if frame.get("job_id") == enqueued["id"]:
                seen.append(frame["event"])
    assert seen[-1] == "success" and "started" in seen


async def test_rest_cannot_submit_a_task_path(stack):
    with stack.client("root") as root:
        r = root.post("/api/jobs/", json={"kind": "django.task",
                                          "params": {"task": "tests.tasks_backend.sample_tasks.add", "args": [1, 2]}})
        assert r.status_code == 400 and "task" in r.json()["params"]
        assert "django.task" not in [k["kind"] for k in root.get("/api/kinds/").json()]
