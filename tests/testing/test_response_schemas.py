"""The web-test and load-test answers, and both kinds' results, keep to the OpenAPI document."""
import asyncio

import pytest
from rest_framework.test import APIClient

from apps.jobs import events
from apps.testing import services
from apps.testing.loadtest import LoadTest
from apps.testing.models import PerfTestRun, WebTestRun
from apps.testing.webtest import run_script
from tests.response_schema import check, component, response_schema

pytestmark = pytest.mark.django_db

SCRIPTS, SCENARIOS = "/api/v1/web-test/scripts/", "/api/v1/perf-test/scenarios/"


@pytest.fixture
def api(alice):
    client = APIClient()
    client.force_authenticate(alice)
    return client


def _finish(run, result) -> None:
    """End the run's job as the kind's body would: the result saved on the run and on the job."""
    services.run_result_save(run=run, result=result)
    events.record(run.job_id, "started")
    events.record(run.job_id, "success", result=result)


async def _no_op(*args):
    return None


def test_a_script_its_run_and_status_answer_their_documented_shapes(api, target):
    body = {"name": "s", "base_url": target.url,
            "steps": [{"name": "token", "path": "/token", "expect": {"status": 200}, "extract": {"t": "data.token"}},
                      {"name": "fails", "path": "/fail", "expect": {"status": 200}}]}
    created = api.post(SCRIPTS, body, format="json")
    check(created.json(), response_schema(SCRIPTS, "post", 201), exact=True)
    check(api.get(SCRIPTS).json(), response_schema(SCRIPTS, "get", 200), exact=True)
    one = f"{SCRIPTS}{created.json()['id']}/"
    check(api.patch(one, {"name": "t"}, format="json").json(), response_schema(SCRIPTS + "{id}/", "patch", 200),
          exact=True)
    started = api.post(f"{one}run/", {}, format="json")
    assert started.status_code == 202
    check(started.json(), response_schema(SCRIPTS + "{id}/run/", "post", 202), exact=True)
    status = SCRIPTS + "{id}/status/"
    check(api.get(f"{one}status/").json(), response_schema(status, "get", 200), exact=True)  # no result yet

    run = WebTestRun.objects.get(pk=started.json()["run_id"])
    _finish(run, asyncio.run(run_script(target.url, run.script.steps, _no_op)))
    answer = api.get(f"{one}status/").json()
    check(answer, response_schema(status, "get", 200), exact=True)
    check(answer["result"], component("WebTestResult"), exact=True)
    for step in answer["result"]["steps"]:
        check(step, component("StepOutcome"), exact=True)
    stopped = api.post(f"{one}stop/")
    assert stopped.status_code == 409
    check(stopped.json(), response_schema(SCRIPTS + "{id}/stop/", "post", 409), exact=True)


def test_a_scenario_and_a_load_test_result_answer_their_documented_shapes(api, target):
    body = {"name": "b", "base_url": target.url, "requests": [{"name": "ok", "path": "/ok", "weight": 2},
                                                               {"name": "bad", "path": "/fail"}]}
    created = api.post(SCENARIOS, body, format="json").json()
    check(created, response_schema(SCENARIOS, "post", 201), exact=True)
    one = f"{SCENARIOS}{created['id']}/"
    check(api.get(one).json(), response_schema(SCENARIOS + "{id}/", "get", 200), exact=True)
    started = api.post(f"{one}run/", {"user_count": 2, "spawn_rate": 2, "run_time": "1s"}, format="json")
    check(started.json(), response_schema(SCENARIOS + "{id}/run/", "post", 202), exact=True)

    run = PerfTestRun.objects.get(pk=started.json()["run_id"])
    engine = LoadTest(base_url=target.url, requests=run.scenario.requests, think_time_ms=[0, 10], user_count=2,
                      spawn_rate=2, run_time_s=1, stop_timeout_s=5)
    status = SCENARIOS + "{id}/status/"
    services.run_result_save(run=run, result=engine.result("running"))
    check(api.get(f"{one}status/").json()["result"], component("LoadTestResult"), exact=True)
    _finish(run, asyncio.run(engine.run(_no_op)))
    answer = api.get(f"{one}status/").json()
    check(answer, response_schema(status, "get", 200), exact=True)
    check(answer["result"], component("LoadTestResult"), exact=True)
    check(answer["result"]["stats"], component("LoadStats"), exact=True)
    assert answer["result"]["state"] == "finished" and answer["result"]["stats"]["requests"] > 0
