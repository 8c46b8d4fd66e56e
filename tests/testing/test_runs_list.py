"""`GET …/scripts/<id>/runs/` and `…/scenarios/<id>/runs/`: the runs of one, newest first, documented shapes."""
import pytest
from rest_framework.test import APIClient

from apps.testing import services
from tests.response_schema import check, response_schema

pytestmark = pytest.mark.django_db

SCRIPTS, SCENARIOS = "/api/v1/web-test/scripts/", "/api/v1/perf-test/scenarios/"
STEPS = [{"name": "a", "path": "/a"}, {"name": "b", "path": "/b"}]


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_scripts_runs_newest_first_with_their_verdict(alice, bob):
    script = services.script_create(owner=alice, name="s", base_url="http://127.0.0.1:9", steps=STEPS)
    first = services.web_run_start(script=script, owner=alice)
    services.run_result_save(run=first, result={"passed": 1, "failed": 1, "total": 2, "steps": []})
    second = services.web_run_start(script=script, owner=alice)
    answer = _client(alice).get(f"{SCRIPTS}{script.pk}/runs/")
    assert answer.status_code == 200
    body = answer.json()
    check(body, response_schema(SCRIPTS + "{id}/runs/", "get", 200), exact=True)
    assert body["count"] == 2 and [r["run_id"] for r in body["results"]] == [second.pk, first.pk]
    assert body["results"][0]["passed"] is None and body["results"][0]["status"] == "pending"
    assert {k: body["results"][1][k] for k in ("passed", "failed", "total")} == {"passed": 1, "failed": 1, "total": 2}
    assert body["results"][1]["job_id"] == str(first.job_id)
    assert _client(bob).get(f"{SCRIPTS}{script.pk}/runs/").status_code == 404


def test_a_scenarios_runs_carry_their_load_shape_and_totals(alice):
    scenario = services.scenario_create(owner=alice, name="p", base_url="http://127.0.0.1:9",
                                        requests=[{"name": "h", "method": "GET", "path": "/", "weight": 1}],
                                        think_time_ms=[0, 0])
    run = services.perf_run_start(scenario=scenario, owner=alice, user_count=3, spawn_rate=1.5, run_time=120)
    stats = {"requests": 10, "failures": 1, "rps": 2.0, "p50_ms": 1.0, "p95_ms": 2.0, "p99_ms": 3.0}
    services.run_result_save(run=run, result={"state": "running", "stats": stats, "series": []})
    body = _client(alice).get(f"{SCENARIOS}{scenario.pk}/runs").json()
    check(body, response_schema(SCENARIOS + "{id}/runs/", "get", 200), exact=True)
    (item,) = body["results"]
    assert (item["user_count"], item["spawn_rate"], item["run_time_s"], item["state"]) == (3, 1.5, 120, "running")
    assert item["stats"] == stats
