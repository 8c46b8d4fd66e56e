"""Every operation of /api/schema/, fuzzed as an authenticated user: never a 5xx, and every
error answer is JSON. Afterwards the books close: every job the fuzzer managed to create is
finished (or cancelled) and nothing it was refused exists.

JOBCAST_FUZZ_CASES (per operation, default 30) and JOBCAST_FUZZ_SEED tune a run.
"""
import os
import random

import httpx
import pytest

from livestack.stack import TERMINAL, wait_until
from tests.chaos.ledger import report
from tests.fuzz.schema_fuzzer import cases_for

CASES = int(os.environ.get("JOBCAST_FUZZ_CASES", "30"))
SEED = int(os.environ.get("JOBCAST_FUZZ_SEED", "1122"))


@pytest.fixture(scope="module")
def fuzzer(live):
    token = live.manage("ensure_user", "fuzzer", "fuzzer-password").splitlines()[-1]
    client = httpx.Client(base_url=live.base, headers={"Authorization": f"Token {token}"}, timeout=60)
    yield client
    client.close()


def _send(client: httpx.Client, case) -> httpx.Response:
    headers = {"Content-Type": case.content_type} if case.content_type else {}
    if case.raw is not None:
        return client.request(case.method, case.path, params=case.params, content=case.raw, headers=headers)
    if case.form is not None:
        return client.request(case.method, case.path, params=case.params, data=case.form)
    if case.files is not None:
        return client.request(case.method, case.path, params=case.params, files=case.files)
    return client.request(case.method, case.path, params=case.params, json=case.json_body)


def _is_json(response: httpx.Response) -> bool:
    try:
        response.json()
        return "json" in response.headers.get("content-type", "")
    except ValueError:
        return False


def test_every_operation_survives_hostile_input(live, fuzzer):
    schema = fuzzer.get("/api/schema/", params={"format": "json"}).json()
    rng = random.Random(SEED)
    own_job = live.submit(params={"steps": 1, "interval_ms": 0})
    known = {"job_id": [own_job["id"]], "task_id": [own_job["task_id"] or own_job["id"]]}
    server_errors, non_json, unrouted, sent, operations = [], [], 0, 0, 0
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            if "text/event-stream" in op.get("responses", {}).get("200", {}).get("content", {}):
                continue  # an SSE stream answers for as long as it streams (the feed: forever); tests/integration/test_jobs_sse*.py
            operations += 1
            for case in cases_for(schema, path, method, op, rng, CASES, known):
                r = _send(fuzzer, case)
                sent += 1
                if r.status_code >= 500:
                    server_errors.append((r.status_code, case.describe(), r.text[:200]))
                elif r.status_code == 404 and r.headers.get("content-type", "").startswith("text/html"):
                    unrouted += 1  # an HTML 404: the path matched no route and was not answered in JSON
                elif r.status_code >= 400 and not _is_json(r):
                    non_json.append((r.status_code, case.describe(), r.headers.get("content-type")))
    # The books: every job the fuzzer created is finished or cancelled, none left running.
    jobs = _all_jobs(fuzzer)
    for job in jobs:
        if job["status"] not in TERMINAL:
            fuzzer.post(f"/api/jobs/{job['id']}/cancel/")
    wait_until(lambda: all(j["status"] in TERMINAL for j in _all_jobs(fuzzer)), 120, 0.5,
               what="every fuzz-created job finished")
    report("fuzz /api/schema/", f"operations={operations}, requests={sent}, server_errors={len(server_errors)}, "
           f"non_json_errors={len(non_json)}, unrouted_html_404={unrouted}, jobs_created={len(jobs)}, seed={SEED}")
    assert server_errors == [], server_errors[:5]
    assert non_json == [], non_json[:5]
    assert unrouted == 0


def _all_jobs(client: httpx.Client) -> list[dict]:
    jobs, page = [], 1
    while True:
        body = client.get("/api/jobs/", params={"page": page}).json()
        jobs += body["results"]
        if not body.get("next"):
            return jobs
        page += 1


def test_deeply_nested_json_body_is_a_400(live, fuzzer):
    for path in ("/api/jobs/", "/api/v1/web-test/scripts/", "/api/ocr/save/"):
        r = fuzzer.post(path, content=b"[" * 3000 + b"]" * 3000, headers={"Content-Type": "application/json"})
        assert r.status_code == 400 and _is_json(r), (path, r.status_code, r.text[:100])


def test_unrouted_api_urls_answer_json_404(fuzzer):
    for path in ("/api/ocr/documents/abc/", "/api/v1/web-test/scripts/x/", "/api/jobs/../events/", "/api/nope/"):
        r = fuzzer.get(path)
        assert r.status_code == 404 and _is_json(r), (path, r.headers.get("content-type"))
