"""Web tests and load tests end to end: REST → Celery worker → target server → live events → status.

The target is a small HTTP server on loopback in this process (tests/testing/target_server.py)
with its own request counter, so the figures a run reports can be checked against it.
"""
import time
from datetime import datetime

import pytest

from livestack.redis_server import free_port
from livestack.stack import wait_until, ws_collect
from tests.testing.target_server import TargetServer


@pytest.fixture(scope="module")
def target():
    server = TargetServer().start()
    yield server
    server.stop()


def _create(stack, path, body, user="alice"):
    with stack.client(user) as c:
        r = c.post(path, json=body)
    assert r.status_code == 201, r.text
    return r.json()


def _post(stack, path, body=None, user="alice"):
    with stack.client(user) as c:
        return c.post(path, json=body or {})


def _get(stack, path, user="alice"):
    with stack.client(user) as c:
        r = c.get(path)
    assert r.status_code == 200, r.text
    return r.json()


def _script(stack, target, name, steps):
    return _create(stack, "/api/v1/web-test/scripts/", {"name": name, "base_url": target.url, "steps": steps})


def _scenario(stack, target, think=(0, 10)):
    return _create(stack, "/api/v1/perf-test/scenarios/", {
        "name": "browse", "base_url": target.url, "think_time_ms": list(think),
        "requests": [{"name": "home", "method": "GET", "path": "/ok", "weight": 3},
                     {"name": "slowish", "method": "GET", "path": "/slow?ms=20", "weight": 1}]})


async def test_a_web_test_runs_step_by_step_with_live_events_and_a_status_result(stack, target):
    script = _script(stack, target, "login flow", [
        {"name": "token", "method": "GET", "path": "/token",
         "expect": {"status": 200, "json": {"data.ok": True}}, "extract": {"token": "data.token"}},
        {"name": "use it", "method": "POST", "path": "/echo", "headers": {"X-Token": "{{token}}"},
         "json": {"t": "{{token}}"}, "expect": {"status": 201, "body_contains": "{{token}}"}},
        {"name": "broken", "method": "GET", "path": "/fail", "expect": {"status": 200}},
        {"name": "after a failure", "method": "GET", "path": "/ok", "expect": {"body_contains": "OK"}},
    ])
    run = _post(stack, f"/api/v1/web-test/scripts/{script['id']}/run").json()
    frames, _ = await ws_collect(f"{stack.ws_base()}/ws/jobs/{run['job_id']}/?after=0", stack.ws_headers())
    events = [f for f in frames if f["type"] == "event"]
    assert events[-1]["event"] == "success"  # failed checks are the run's verdict, not a job failure
    assert "retry" not in [e["event"] for e in events]
    steps = [e["data"] for e in events if e["event"] == "log"]
    assert [(s["step"], s["name"], s["passed"], s["status_code"]) for s in steps] == [
        (1, "token", True, 200), (2, "use it", True, 201), (3, "broken", False, 500), (4, "after a failure", True, 200)]
    assert steps[2]["error"] == "status: expected 200, got 500" and all(s["elapsed_ms"] >= 0 for s in steps)

    status = _get(stack, f"/api/v1/web-test/scripts/{script['id']}/status")
    assert (status["run_id"], status["job_id"], status["status"], status["progress"]) == \
        (run["run_id"], run["job_id"], "success", 100.0)
    result = status["result"]
    assert (result["passed"], result["failed"]) == (3, 1)
    assert [(s["name"], s["passed"], s["status_code"], s["error"]) for s in result["steps"]] == [
        ("token", True, 200, None), ("use it", True, 201, None),
        ("broken", False, 500, "status: expected 200, got 500"), ("after a failure", True, 200, None)]
    assert result["steps"][1]["response"]["body"].count(target.token) >= 2  # header and body carried the token


async def test_a_load_test_streams_growing_figures_that_agree_with_the_target(stack, target):
    scenario = _scenario(stack, target)
    before = target.total
    run = _post(stack, f"/api/v1/perf-test/scenarios/{scenario['id']}/run",
                {"user_count": 8, "spawn_rate": 8, "run_time": "3s"})
    assert run.status_code == 202, run.text
    job_id = run.json()["job_id"]
    frames, _ = await ws_collect(f"{stack.ws_base()}/ws/jobs/{job_id}/?after=0", stack.ws_headers(), timeout=90)
    events = [f for f in frames if f["type"] == "event"]
    assert events[-1]["event"] == "success", events[-1]
    live = [e["data"] for e in events if e["event"] == "progress"]
    assert len(live) >= 2
    counts = [d["requests"] for d in live]
    assert counts == sorted(counts) and counts[-1] > counts[0] > 0
    assert {"users", "rps", "fps", "p50_ms", "p95_ms", "p99_ms", "table"} <= set(live[0])
    assert {row["name"] for row in live[-1]["table"]} == {"home", "slowish"}

    status = _get(stack, f"/api/v1/perf-test/scenarios/{scenario['id']}/status")
    assert status["status"] == "success" and status["progress"] == 100.0
    stats, series = status["result"]["stats"], status["result"]["series"]
    assert stats["requests"] == target.total - before  # the target's own count
    assert stats["failures"] == 0 and stats["rps"] > 0 and stats["p50_ms"] <= stats["p95_ms"] <= stats["p99_ms"]
    assert len(series) >= 3 and series[-1]["requests"] == stats["requests"]
    assert stack.job(job_id)["result"]["stats"] == stats


def test_stop_ends_a_load_test_within_a_second_and_keeps_partial_figures(stack, target):
    scenario = _scenario(stack, target)
    base = f"/api/v1/perf-test/scenarios/{scenario['id']}"
    run = _post(stack, f"{base}/run", {"user_count": 5, "spawn_rate": 5, "run_time": 120}).json()
    wait_until(lambda: (_get(stack, f"{base}/status")["result"] or {}).get("series"), 60,
               what="the first live second of the load test")

    stopped = _post(stack, f"{base}/stop")
    asked_at = time.monotonic()
    assert stopped.status_code == 202 and stopped.json()["status"] == "revoked"
    status = wait_until(lambda: (lambda s: s if (s["result"] or {}).get("state") == "stopped" else None)(
        _get(stack, f"{base}/status")), 10, what="the run to record its stop")
    assert time.monotonic() - asked_at < 3.0  # generous on 2 shared cores; the server-side check is below
    job = stack.job(run["job_id"])
    assert job["status"] == "revoked"
    settled = target.total
    assert status["status"] == "revoked" and status["result"]["stats"]["requests"] > 0
    assert status["result"]["series"] and status["result"]["stats"]["requests"] <= settled
    assert status["result"]["elapsed_s"] < 60
    # No request reaches the target once the stop is recorded (checked after another round trip).
    _get(stack, f"{base}/status")
    assert target.total == settled
    assert "revoked" == stack.events(run["job_id"])[-1]["event"]


def test_a_stop_lands_within_one_second_on_the_server_clock(stack, target):
    scenario = _scenario(stack, target, think=(0, 0))
    base = f"/api/v1/perf-test/scenarios/{scenario['id']}"
    run = _post(stack, f"{base}/run", {"user_count": 3, "spawn_rate": 10, "run_time": 120}).json()
    wait_until(lambda: (_get(stack, f"{base}/status")["result"] or {}).get("series"), 60, what="a live second")
    _post(stack, f"{base}/stop")
    status = wait_until(lambda: (lambda s: s if (s["result"] or {}).get("state") == "stopped" else None)(
        _get(stack, f"{base}/status")), 10, what="the run to record its stop")
    revoked_at = datetime.fromisoformat(stack.job(run["job_id"])["finished_at"])
    halted_at = datetime.fromisoformat(status["result"]["ended_at"])
    assert (halted_at - revoked_at).total_seconds() < 1.0


def test_disallowed_targets_and_limits_are_refused(stack, target):
    for base_url in ("http://169.254.169.254", "http://93.184.216.34:80", "http://example.com"):
        for path, body in (("/api/v1/web-test/scripts/", {"steps": [{"name": "a", "path": "/"}]}),
                           ("/api/v1/perf-test/scenarios/", {"requests": [{"name": "a", "path": "/"}]})):
            r = _post(stack, path, {"name": "x", "base_url": base_url, **body})
            assert r.status_code == 400 and list(r.json()) == ["base_url"], r.text
    scenario = _scenario(stack, target)
    r = _post(stack, f"/api/v1/perf-test/scenarios/{scenario['id']}/run",
              {"user_count": 10 ** 6, "spawn_rate": 1, "run_time": 5})
    assert r.status_code == 400 and list(r.json()) == ["user_count"]


def test_an_unreachable_target_is_retried_with_a_visible_retry_event(stack, target):
    dead = f"http://127.0.0.1:{free_port()}"
    script = _create(stack, "/api/v1/web-test/scripts/",
                     {"name": "down", "base_url": dead, "steps": [{"name": "a", "path": "/ok"}]})
    run = _post(stack, f"/api/v1/web-test/scripts/{script['id']}/run").json()
    stack.wait_job(run["job_id"], statuses=("retry",), timeout=60)
    retry = [e for e in stack.events(run["job_id"]) if e["event"] == "retry"]
    assert len(retry) == 1 and retry[0]["data"]["countdown"] == 60 and retry[0]["data"]["max_retries"] == 3
    assert "TargetUnreachable" == retry[0]["data"]["error"]["type"]
    # A stop also ends a run waiting for its retry: it never starts again.
    assert _post(stack, f"/api/v1/web-test/scripts/{script['id']}/stop").status_code == 202
    assert stack.job(run["job_id"])["status"] == "revoked"


def test_higher_priority_runs_start_first_with_one_worker(stack, target):
    def blocker(key):
        return _script(stack, target, f"block {key}", [{"name": "wait", "path": f"/block?key={key}", "timeout_s": 90}])

    def marker(name):
        return _script(stack, target, name, [{"name": "mark", "path": f"/mark?name={name}"}])

    slots = stack.concurrency  # fill every slot of the one worker, so the next runs wait in the broker
    blockers = [blocker(f"prio-{i}") for i in range(slots)]
    low, high, mid = marker("low"), marker("high"), marker("mid")
    before = target.count("/block")
    blocking = [_post(stack, f"/api/v1/web-test/scripts/{b['id']}/run").json() for b in blockers]
    wait_until(lambda: target.count("/block") - before == slots, 60, what="every worker slot to be busy")
    queued = [_post(stack, f"/api/v1/web-test/scripts/{s['id']}/run", {"priority": p}).json()
              for s, p in ((low, 1), (high, 9), (mid, 5))]
    target.marks.clear()
    target.release("prio-0")  # one slot frees: the three queued runs go through it one by one
    for run in queued:
        stack.wait_job(run["job_id"], timeout=60)
    assert target.marks == ["high", "mid", "low"]
    for i in range(1, slots):
        target.release(f"prio-{i}")
    for run in blocking:
        assert stack.wait_job(run["job_id"], timeout=60)["status"] == "success"
