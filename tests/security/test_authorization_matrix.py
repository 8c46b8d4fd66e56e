"""Every HTTP endpoint and WebSocket path as anonymous, as another user, as staff, as the owner.

Only the owner (and staff, who see every job) succeed; another user always gets the answer a
missing object gets (404 / close 4404), never a 403 that would confirm the object exists.
"""
import asyncio
import uuid

import httpx
import pytest

from livestack.stack import wait_until, ws_collect


@pytest.fixture(scope="module")
def owned(live):
    """One object of each kind owned by alice."""
    job = live.submit(params={"steps": 2, "interval_ms": 0})
    live.wait_job(job["id"])
    with live.client("alice") as c:
        ocr = c.post("/api/ocr/save/", json={"file_name": "policy.txt", "ocr_content": "Policy number: P-1\n"})
        assert ocr.status_code == 200, ocr.text
        script = c.post("/api/v1/web-test/scripts/", json={
            "name": "s", "base_url": "http://127.0.0.1:9", "steps": [{"name": "a", "method": "GET", "path": "/"}]})
        assert script.status_code == 201, script.text
        scenario = c.post("/api/v1/perf-test/scenarios/", json={
            "name": "p", "base_url": "http://127.0.0.1:9", "requests": [{"name": "a", "method": "GET", "path": "/"}]})
        assert scenario.status_code == 201, scenario.text
    doc = ocr.json()
    return {"job": job["id"], "task": job["task_id"], "doc": doc["document_id"], "ocr_job": doc["job_id"],
            "script": script.json()["id"], "scenario": scenario.json()["id"]}


def _reads(o):
    """(method, path, owner's expected status) of every read or action on alice's objects."""
    return [
        ("GET", f"/api/jobs/{o['job']}/", 200),
        ("GET", f"/api/jobs/{o['job']}/events/", 200),
        ("GET", f"/api/jobs/{o['job']}/output/", 200),
        ("GET", f"/api/jobs/{o['job']}/stream/", 200),  # finished: snapshot and replay, then the end
        ("POST", f"/api/jobs/{o['job']}/retry/", 409),
        ("POST", f"/api/jobs/{o['job']}/cancel/", 409),
        ("GET", f"/api/media/files/{o['job']}/", 200),
        ("GET", f"/api/media/files/{o['job']}/out.mp4", 404),
        ("GET", f"/api/ocr/documents/{o['doc']}/", 200),
        ("GET", f"/api/ocr/documents/{o['doc']}/status/", 200),
        ("GET", f"/api/visual-analysis/task/{o['job']}/status/", 404),  # not a vision job: 404 for everyone
        ("GET", f"/celery-progress/{o['task']}/", 200),
        ("GET", f"/api/v1/web-test/scripts/{o['script']}/", 200),
        ("GET", f"/api/v1/web-test/scripts/{o['script']}/status/", None),
        ("GET", f"/api/v1/perf-test/scenarios/{o['scenario']}/", 200),
        ("GET", f"/api/v1/perf-test/scenarios/{o['scenario']}/status/", None),
        ("POST", f"/api/v1/perf-test/scenarios/{o['scenario']}/stop/", None),
        ("PATCH", f"/api/v1/web-test/scripts/{o['script']}/", 200),
        ("DELETE", f"/api/v1/perf-test/scenarios/{o['scenario']}/", None),  # last: it deletes
    ]


LISTS = ["/api/jobs/", "/api/kinds/", "/api/ocr/documents/", "/api/v1/web-test/scripts/",
         "/api/v1/perf-test/scenarios/"]


def test_http_matrix(live, owned):
    tried = 0
    with live.client("bob") as bob, live.client("root") as staff, live.client("alice") as alice, \
            httpx.Client(base_url=live.base, timeout=30) as anon:
        for path in LISTS:
            assert anon.get(path).status_code in (401, 403), path
            assert bob.get(path).status_code == 200
            tried += 2
        listed = bob.get("/api/jobs/").json()["results"] + bob.get("/api/ocr/documents/").json()["data"]
        assert not any(owned["job"] == j.get("id") or owned["doc"] == j.get("id") for j in listed)
        assert owned["script"] not in [s["id"] for s in _results(bob.get("/api/v1/web-test/scripts/").json())]
        for method, path, expected in _reads(owned):
            body = {"name": "renamed"} if method == "PATCH" else None
            r_anon = anon.request(method, path, json=body)
            assert r_anon.status_code in (401, 403), (method, path, r_anon.status_code)
            r_bob = bob.request(method, path, json=body)
            assert r_bob.status_code == 404, (method, path, r_bob.status_code, r_bob.text[:200])
            if path.startswith("/api/jobs/"):  # staff see every job
                assert staff.request(method, path).status_code == expected, (method, path)
            r_alice = alice.request(method, path, json=body)
            assert r_alice.status_code < 500 and r_alice.status_code != 403, (method, path, r_alice.text[:200])
            if expected is not None:
                assert r_alice.status_code == expected, (method, path, r_alice.status_code, r_alice.text[:200])
            tried += 4
        missing = str(uuid.uuid4())
        for path in (f"/api/jobs/{missing}/", "/api/jobs/not-a-uuid/", f"/api/visual-analysis/task/{missing}/status/"):
            assert bob.get(path).status_code == 404  # exactly what another user's object looks like
            tried += 1
    print(f"authorization matrix: {tried} HTTP requests")


def _results(body):
    """The items of a list answer, paginated (`results`) or not."""
    return body["results"] if isinstance(body, dict) else body


@pytest.mark.asyncio(loop_scope="function")
async def test_websocket_matrix(live, owned):
    base = live.ws_base()
    job, task = owned["job"], owned["task"]
    for path in (f"/ws/jobs/{job}/", f"/ws/progress/{task}/"):
        _, code = await ws_collect(f"{base}{path}", live.ws_headers("bob"), timeout=10)
        assert code == 4404, path
        _, code = await ws_collect(f"{base}{path}", {"Authorization": "Token wrong"}, timeout=10)
        assert code == 4401, path
        _, code = await ws_collect(f"{base}{path}", origin=live.base, timeout=10)  # browser, not logged in
        assert code == 4401, path
    frames, _ = await ws_collect(f"{base}/ws/jobs/{job}/", live.ws_headers("root"))
    assert frames[0]["type"] == "snapshot" and frames[-1]["event"] == "success"
    frames, _ = await ws_collect(f"{base}/ws/jobs/{job}/", live.ws_headers("alice"))
    assert [f["seq"] for f in frames[1:]] == list(range(1, live.job(job)["seq"] + 1))
    _, code = await ws_collect(f"{base}/ws/jobs/{uuid.uuid4()}/", live.ws_headers("alice"), timeout=10)
    assert code == 4404
    # The feed of another user never carries alice's events.
    from websockets.asyncio.client import connect

    async with connect(f"{base}/ws/jobs/", additional_headers=live.ws_headers("bob")) as feed:
        new = live.submit(params={"steps": 3, "interval_ms": 10})
        await asyncio.to_thread(wait_until, lambda: live.job(new["id"])["status"] == "success", 60, what="job done")
        with pytest.raises(TimeoutError):
            frame = await asyncio.wait_for(feed.recv(), 1.5)
            pytest.fail(f"bob's feed got {frame}")
