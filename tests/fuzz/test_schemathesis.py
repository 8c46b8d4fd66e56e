"""schemathesis against /api/schema/, authenticated: no 5xx, no answer that breaks the schema.

Every operation gets schema-valid and schema-violating inputs (hypothesis, seeded). Each answer
must not be a server error, must have a documented content type and, where the schema gives
the answer's shape, must match it. Afterwards the books close: every job the run created
reaches a final state (what is still running is cancelled) and agrees with its stored log.

JOBCAST_SCHEMATHESIS_EXAMPLES (per operation, default 25) and JOBCAST_FUZZ_SEED tune a run.
"""
from __future__ import annotations

import os

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from livestack.stack import TERMINAL, wait_until
from tests.chaos.ledger import report

EXAMPLES = int(os.environ.get("JOBCAST_SCHEMATHESIS_EXAMPLES", "25"))
SEED = int(os.environ.get("JOBCAST_FUZZ_SEED", "1122"))
USER = "st-fuzzer"
CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance]
_calls: dict[str, int] = {"requests": 0, "multipart_refused_by_twisted": 0, "operations_with_nothing_to_break": 0}


@pytest.fixture(scope="module")
def st_token(live) -> str:
    return live.manage("ensure_user", USER, f"{USER}-password").splitlines()[-1]


@pytest.fixture(scope="module")
def operations(live):
    api = schemathesis.openapi.from_url(f"{live.base}/api/schema/")
    # The SSE streams answer text/event-stream for as long as a job runs (the feed: forever), so
    # a generated case would wait out its timeout; tests/integration/test_jobs_sse*.py read them.
    return [op for op in (result.ok() for result in api.get_all_operations()) if not op.path.endswith("/stream/")]


def _refused_by_twisted(case, response) -> bool:
    """daphne's HTTP layer (Twisted) parses multipart POST bodies itself before Django sees them
    and answers a malformed one with a bare 400 (django/daphne#447): outside the application."""
    return (case.method == "POST" and (case.media_type or "").startswith("multipart/form-data")
            and response.status_code == 400 and not response.content)


def _fuzz(operation, mode: GenerationMode, token: str) -> str | None:
    """EXAMPLES generated cases of one operation; the first failing check's message, if any."""

    @seed(SEED)
    @settings(max_examples=EXAMPLES, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case) -> None:
        response = case.call(headers={"Authorization": f"Token {token}"}, timeout=60)
        _calls["requests"] += 1
        if _refused_by_twisted(case, response):
            _calls["multipart_refused_by_twisted"] += 1
            return
        case.validate_response(response, checks=CHECKS)

    try:
        run()
    except Unsatisfiable:  # negative mode on an operation with nothing to break (no params, no body)
        _calls["operations_with_nothing_to_break"] += 1
    except (Exception, BaseExceptionGroup) as exc:  # schemathesis' FailureGroup or a transport error: report, go on
        return f"{operation.method.upper()} {operation.path} ({mode.value}): {exc}"
    return None


def test_every_operation_answers_within_its_schema(operations, st_token):
    """The pytest plugin's lazy loader does not run on pytest 9, so operations are driven here."""
    assert len(operations) > 30, [op.path for op in operations]
    failures = [failure for op in operations for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
                if (failure := _fuzz(op, mode, st_token))]
    assert not failures, "\n\n".join(failures)


def test_options_is_answered_on_every_route_without_parameters(live, operations, st_token):
    """OPTIONS (DRF's metadata) on each parameterless route: JSON, never a server error."""
    paths = sorted({op.path for op in operations if "{" not in op.path})
    with httpx.Client(base_url=live.base, headers={"Authorization": f"Token {st_token}"}, timeout=60) as client:
        answers = {path: client.options(path) for path in paths}
    bad = {path: (r.status_code, r.text[:200]) for path, r in answers.items()
           if r.status_code >= 500 or not r.headers.get("content-type", "").startswith("application/json")}
    assert not bad, bad
    assert answers["/api/jobs/"].json()["actions"]["POST"]["kind"]["required"] is True


def test_every_job_the_run_created_is_finished_and_agrees_with_its_log(live, st_token):
    """Runs after the schemathesis test (file order): nothing it started may stay running."""
    with httpx.Client(base_url=live.base, headers={"Authorization": f"Token {st_token}"}, timeout=60) as client:
        jobs, url = [], "/api/jobs/"
        while url:
            page = client.get(url).json()
            jobs += page["results"]
            url = page["next"]
        for job in jobs:
            if job["status"] not in TERMINAL:
                client.post(f"/api/jobs/{job['id']}/cancel/")

        def all_final():
            return all(client.get(f"/api/jobs/{j['id']}/").json()["status"] in TERMINAL for j in jobs)

        wait_until(all_final, timeout=180, what="every job of the schemathesis run finished")
        for job in jobs:
            final = client.get(f"/api/jobs/{job['id']}/").json()
            rows = client.get(f"/api/jobs/{job['id']}/events/").json()["events"]
            assert [e["seq"] for e in rows] == list(range(1, final["seq"] + 1)), job["id"]
            assert rows[-1]["status"] == final["status"], job["id"]
    report("schemathesis", f"{_calls['requests']} requests ({EXAMPLES} examples per operation and mode, "
                           f"seed {SEED}), {len(jobs)} jobs created and closed, "
                           f"{_calls['operations_with_nothing_to_break']} operations with no negative case, "
                           f"{_calls['multipart_refused_by_twisted']} malformed multipart bodies refused by Twisted")
