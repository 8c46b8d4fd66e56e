"""The jobs core end to end: REST → Celery worker → Redis → daphne → WebSocket client."""
import asyncio
import json

import httpx
import pytest
from websockets.exceptions import InvalidStatus

from livestack.stack import wait_until, ws_collect

pytestmark = pytest.mark.asyncio(loop_scope="function")


def seqs(frames):
    return [f["seq"] for f in frames if f.get("type") == "event"]


async def test_ticker_streams_every_event_in_order_through_success(stack):
    job = stack.submit(params={"steps": 10, "interval_ms": 20})
    assert job["status"] == "pending" and job["links"]["ws"] == f"/ws/jobs/{job['id']}/"
    frames, _ = await ws_collect(f"{stack.ws_base()}/ws/jobs/{job['id']}/?after=0", stack.ws_headers())
    assert frames[0]["type"] == "snapshot" and frames[0]["job"]["id"] == job["id"]
    events = [f for f in frames if f["type"] == "event"]
    assert seqs(events) == list(range(1, len(events) + 1))
    assert [e["event"] for e in events][:3] == ["pending", "started", "stage"]
    assert events[-1]["event"] == "success" and events[-1]["progress"] == 100.0
    progress = [e["progress"] for e in events if e["event"] == "progress"]
    assert progress == sorted(progress) and progress[-1] == 100.0  # last value never coalesced away
    assert all(e["ts"].endswith("+00:00") and len(e["ts"].split(".")[1]) == 12 for e in events)
    stored = stack.events(job["id"])
    assert [e["seq"] for e in stored] == seqs(events)
    done = stack.job(job["id"])
    assert done["result"]["steps"] == 10 and done["progress"] == 100.0 and "error" not in done


async def test_reconnect_with_after_gets_exactly_the_missed_events_then_live(stack):
    job = stack.submit(params={"steps": 60, "interval_ms": 50})
    url = f"{stack.ws_base()}/ws/jobs/{job['id']}/"
    first, _ = await ws_collect(url + "?after=0", stack.ws_headers(),
                                until=lambda f: f.get("event") == "progress" and f["progress"] >= 20)
    last = seqs(first)[-1]
    # While disconnected the job moves on; wait until it has stored more events than we saw.
    wait_until(lambda: stack.job(job["id"])["seq"] > last + 3, 30, what="more events while disconnected")
    second, _ = await ws_collect(f"{url}?after={last}", stack.ws_headers())
    assert second[0]["type"] == "snapshot"
    assert seqs(second)[0] == last + 1
    combined = seqs(first) + seqs(second)
    assert combined == list(range(1, len(combined) + 1)), "gap or duplicate at the seam"
    assert second[-1]["event"] == "success"


async def test_events_endpoint_pages_by_after(stack):
    job = stack.submit(params={"steps": 3, "interval_ms": 0})
    stack.wait_job(job["id"])
    with stack.client() as c:
        body = c.get(f"/api/jobs/{job['id']}/events/", params={"after": 2}).json()
        assert body["seq"] == stack.job(job["id"])["seq"]
        assert [e["seq"] for e in body["events"]] == list(range(3, body["seq"] + 1))
        assert c.get(f"/api/jobs/{job['id']}/events/", params={"after": "x"}).status_code == 400


async def test_other_users_job_is_404_and_4404_and_anonymous_is_refused(stack):
    job = stack.submit(params={"steps": 2, "interval_ms": 0})
    with stack.client("bob") as bob:
        assert bob.get(f"/api/jobs/{job['id']}/").status_code == 404
        assert bob.post(f"/api/jobs/{job['id']}/cancel/").status_code == 404
        assert job["id"] not in [j["id"] for j in bob.get("/api/jobs/").json()["results"]]
    _, code = await ws_collect(f"{stack.ws_base()}/ws/jobs/{job['id']}/", stack.ws_headers("bob"), timeout=10)
    assert code == 4404
    with stack.client("root") as staff:  # staff see every job
        assert staff.get(f"/api/jobs/{job['id']}/").status_code == 200
    assert httpx.get(f"{stack.base}/api/jobs/").status_code == 401
    # A browser upgrade from an allowed origin but with no session reaches the consumer: 4401.
    _, code = await ws_collect(f"{stack.ws_base()}/ws/jobs/", origin=stack.base, timeout=10)
    assert code == 4401
    _, code = await ws_collect(f"{stack.ws_base()}/ws/jobs/", {"Authorization": "Token nope"}, timeout=10)
    assert code == 4401


async def test_foreign_origin_and_originless_upgrade_without_token_are_refused(stack):
    with pytest.raises(InvalidStatus) as refused:
        await ws_collect(f"{stack.ws_base()}/ws/jobs/", stack.ws_headers(), origin="http://evil.example")
    assert refused.value.response.status_code == 403
    with pytest.raises(InvalidStatus):
        await ws_collect(f"{stack.ws_base()}/ws/jobs/", {})
    frames, _ = await ws_collect(f"{stack.ws_base()}/ws/jobs/", stack.ws_headers(), origin=stack.base,
                                 until=lambda f: True, timeout=2)
    assert frames == []  # accepted: an allowed origin with a token is fine, and nothing is pushed yet


async def test_bad_input_is_a_400_naming_the_field_and_creates_nothing(stack):
    with stack.client() as c:
        before = c.get("/api/jobs/").json()["count"]
        cases = [
            ({"kind": "jobs.ticker", "params": {"steps": -3}}, "steps"),
            ({"kind": "jobs.ticker", "params": {"steps": 3, "bogus": 1}}, "bogus"),
            ({"kind": "no.such.kind", "params": {}}, "kind"),
            ({"kind": "jobs.ticker", "params": {}, "priority": 12}, "priority"),
            ({"kind": "jobs.ticker", "params": {"steps": 2, "fail_at": 5}}, "fail_at"),
        ]
        for body, field in cases:
            r = c.post("/api/jobs/", json=body)
            assert r.status_code == 400 and field in r.json() | r.json().get("params", {}), (body, r.text)
        r = c.post("/api/jobs/", content=b"{" + b" " * (11 * 1024 * 1024) + b"}",
                   headers={"Content-Type": "application/json"})
        assert r.status_code == 413 and "limit" in r.json()["detail"]
        assert c.get("/api/jobs/").json()["count"] == before


async def test_cancel_running_job_ends_revoked_and_it_stops(stack):
    job = stack.submit(params={"steps": 200, "interval_ms": 50})
    wait_until(lambda: stack.job(job["id"])["progress"] > 0, 30, what="the ticker to make progress")
    with stack.client() as c:
        r = c.post(f"/api/jobs/{job['id']}/cancel/")
        assert r.status_code == 202 and r.json()["status"] == "revoked"
        assert c.post(f"/api/jobs/{job['id']}/cancel/").status_code == 409
    # The body stops at its next progress call: the heartbeat is cleared and nothing follows `revoked`.
    follow = stack.submit(params={"steps": 1, "interval_ms": 0})
    stack.wait_job(follow["id"])
    events = stack.events(job["id"])
    assert events[-1]["event"] == "revoked"
    assert stack.job(job["id"])["status"] == "revoked"


async def test_pending_job_cancelled_never_starts(stack):
    blockers = [stack.submit(params={"steps": 100, "interval_ms": 50}) for _ in range(2)]
    for b in blockers:
        wait_until(lambda b=b: stack.job(b["id"])["status"] == "started", 30, what="blockers to start")
    waiting = stack.submit(params={"steps": 2, "interval_ms": 0})
    with stack.client() as c:
        assert c.post(f"/api/jobs/{waiting['id']}/cancel/").status_code == 202
        for b in blockers:
            c.post(f"/api/jobs/{b['id']}/cancel/")
    probe = stack.submit(params={"steps": 1, "interval_ms": 0})
    stack.wait_job(probe["id"])
    stack.wait_job(stack.submit(params={"steps": 1, "interval_ms": 0})["id"])
    assert [e["event"] for e in stack.events(waiting["id"])] == ["pending", "revoked"]


async def test_failure_then_retry_runs_a_new_attempt(stack):
    job = stack.submit(params={"steps": 3, "interval_ms": 0, "fail_at": 2})
    failed = stack.wait_job(job["id"])
    assert failed["status"] == "failure" and failed["error"]["type"] == "TickerFailure"
    assert "fail_at=2" in failed["error"]["message"] and "result" not in failed
    with stack.client() as c:
        r = c.post(f"/api/jobs/{job['id']}/retry/")
        assert r.status_code == 202 and r.json()["attempt"] == 2 and r.json()["status"] == "pending"
        assert r.json()["task_id"] != failed["task_id"]
        again = stack.wait_job(job["id"])
        assert again["status"] == "failure" and again["attempt"] == 2
        ok = stack.submit(params={"steps": 1, "interval_ms": 0})
        stack.wait_job(ok["id"])
        assert c.post(f"/api/jobs/{ok['id']}/retry/").status_code == 409
    kinds = [e["event"] for e in stack.events(job["id"])]
    assert kinds.count("failure") == 2 and kinds.count("pending") == 2


async def test_feed_streams_all_own_jobs_and_subscribe_replays(stack):
    from websockets.asyncio.client import connect

    async with connect(f"{stack.ws_base(1)}/ws/jobs/", additional_headers=stack.ws_headers()) as ws:
        await ws.send(json.dumps({"action": "ping"}))
        assert json.loads(await ws.recv()) == {"type": "pong"}
        await ws.send("not json")
        assert json.loads(await ws.recv())["type"] == "error"
        await ws.send(json.dumps({"action": "fly"}))
        assert "fly" in json.loads(await ws.recv())["message"]
        a = stack.submit(params={"steps": 5, "interval_ms": 10})
        b = stack.submit(params={"steps": 5, "interval_ms": 10})
        seen: dict[str, list[int]] = {a["id"]: [], b["id"]: []}
        done: set[str] = set()
        while done != {a["id"], b["id"]}:
            frame = json.loads(await asyncio.wait_for(ws.recv(), 60))
            if frame.get("type") == "event" and frame["job_id"] in seen:
                seen[frame["job_id"]].append(frame["seq"])
                if frame["event"] == "success":
                    done.add(frame["job_id"])
        # Events published by the worker reach a client on the second daphne too.
        for got in seen.values():
            assert got == list(range(1, len(got) + 1))
        await ws.send(json.dumps({"action": "subscribe", "job_id": a["id"], "after": 2}))
        replay = []
        while True:
            frame = json.loads(await asyncio.wait_for(ws.recv(), 30))
            if frame.get("type") == "subscribed":
                break
            replay.append(frame["seq"])
        assert replay == list(range(3, len(seen[a["id"]]) + 1))
        await ws.send(json.dumps({"action": "subscribe", "job_id": "00000000-0000-0000-0000-000000000000"}))
        assert json.loads(await ws.recv())["type"] == "error"


async def test_kinds_schema_and_health(stack):
    with stack.client() as c:
        kinds = c.get("/api/kinds/").json()
        ticker = next(k for k in kinds if k["kind"] == "jobs.ticker")
        assert ticker["params_schema"]["properties"]["steps"]["type"] == "integer"
        assert ticker["queue"] == "jobs"
        health = httpx.get(f"{stack.base}/api/health/")
        assert health.status_code == 200
        assert health.json() == {"database": "ok", "broker": "ok", "channel_layer": "ok", "workers": "ok"}
        assert c.get("/api/schema/").status_code == 200
        assert c.get("/api/docs/").status_code == 200


async def test_contract_check_passes_against_the_stack(stack):
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[3] / "shared" / "contract_check.py"
    if not script.exists():
        pytest.skip("shared/contract_check.py is not next to this checkout")
    proc = await asyncio.to_thread(subprocess.run, [sys.executable, str(script), "--base", stack.base,
                                   "--user", "alice:alice-password", "--other", "bob:bob-password"],
                                   capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0 and "0 failed" in proc.stdout, proc.stdout + proc.stderr
