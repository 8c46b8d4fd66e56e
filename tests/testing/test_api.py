"""The web-test and load-test API: CRUD, refusals naming the field, run/status/stop shapes."""
import pytest
from django.conf import settings
from rest_framework.test import APIClient

from apps.jobs.models import Job

pytestmark = pytest.mark.django_db

SCRIPT = {"name": "login flow", "base_url": "http://127.0.0.1:9000",
          "steps": [{"name": "health", "method": "GET", "path": "/health", "timeout_s": 5,
                     "expect": {"status": 200, "json": {"data.ok": True}}, "extract": {"token": "data.token"}},
                    {"name": "use it", "method": "POST", "path": "/echo", "headers": {"X-Token": "{{token}}"},
                     "json": {"t": "{{token}}"}, "expect": {"status": 201, "body_contains": "{{token}}"}}]}
SCENARIO = {"name": "browse", "base_url": "http://127.0.0.1:9000",
            "requests": [{"name": "home", "method": "GET", "path": "/", "weight": 3},
                         {"name": "search", "method": "GET", "path": "/search?q=x", "weight": 1}],
            "think_time_ms": [0, 50]}


@pytest.fixture
def api(alice):
    client = APIClient()
    client.force_authenticate(alice)
    return client


def _create(api, path, body):
    response = api.post(path, body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_scripts_crud_keeps_the_contract_shape(api, bob):
    script = _create(api, "/api/v1/web-test/scripts/", SCRIPT)
    assert script["steps"][0]["extract"] == {"token": "data.token"} and script["base_url"] == SCRIPT["base_url"]
    assert script["steps"][1]["timeout_s"] == settings.TESTING_DEFAULT_STEP_TIMEOUT_S
    url = f"/api/v1/web-test/scripts/{script['id']}/"
    assert api.get(url).json()["name"] == "login flow"
    assert api.patch(url, {"name": "renamed"}, format="json").json()["name"] == "renamed"
    assert [s["id"] for s in api.get("/api/v1/web-test/scripts/").json()["results"]] == [script["id"]]
    other = APIClient()
    other.force_authenticate(bob)
    assert other.get(url).status_code == 404
    assert api.delete(url).status_code == 204
    assert api.get(url).status_code == 404


def test_scenarios_crud(api):
    scenario = _create(api, "/api/v1/perf-test/scenarios/", SCENARIO)
    assert scenario["requests"][1]["path"] == "/search?q=x" and scenario["think_time_ms"] == [0, 50]
    url = f"/api/v1/perf-test/scenarios/{scenario['id']}"
    replaced = api.put(url, {**SCENARIO, "think_time_ms": [10, 20]}, format="json")
    assert replaced.status_code == 200 and replaced.json()["think_time_ms"] == [10, 20]


@pytest.mark.parametrize("base_url", ["http://169.254.169.254", "http://93.184.216.34", "http://example.com",
                                      "file:///etc/passwd"])
def test_a_target_outside_the_allow_list_is_a_400_naming_base_url(api, base_url):
    for path, body in (("/api/v1/web-test/scripts/", SCRIPT), ("/api/v1/perf-test/scenarios/", SCENARIO)):
        response = api.post(path, {**body, "base_url": base_url}, format="json")
        assert response.status_code == 400 and list(response.json()) == ["base_url"]
    assert not Job.objects.exists()


@pytest.mark.parametrize("change,field", [
    ({"steps": []}, "steps"),
    ({"steps": [{"name": "x", "path": "no-slash"}]}, "steps"),
    ({"steps": [{"name": "x", "path": "//evil.example/"}]}, "steps"),
    ({"steps": [{"name": "x", "path": "/", "surprise": 1}]}, "steps"),
    ({"colour": "red"}, "colour"),
])
def test_a_bad_script_is_a_400_naming_the_field(api, change, field):
    response = api.post("/api/v1/web-test/scripts/", {**SCRIPT, **change}, format="json")
    assert response.status_code == 400 and field in response.json()


def test_running_a_script_queues_a_job_with_its_priority_and_status_shows_it(api):
    script = _create(api, "/api/v1/web-test/scripts/", SCRIPT)
    base = f"/api/v1/web-test/scripts/{script['id']}"
    assert api.get(f"{base}/status").status_code == 404
    response = api.post(f"{base}/run", {"priority": 8}, format="json")
    assert response.status_code == 202
    run = response.json()
    assert set(run) == {"run_id", "job_id", "status"} and run["status"] == "pending"
    job = Job.objects.get(pk=run["job_id"])
    assert (job.kind, job.queue, job.priority, job.params) == ("testing.web", "testing", 8, {"script_id": script["id"]})
    status = api.get(f"{base}/status").json()
    assert status == {"run_id": run["run_id"], "job_id": run["job_id"], "status": "pending", "progress": 0.0,
                      "result": None}
    assert api.post(f"{base}/run", {"priority": 10}, format="json").json() == {
        "priority": ["Ensure this value is less than or equal to 9."]}


def test_stopping_a_pending_run_revokes_it_and_a_second_stop_is_a_conflict(api):
    script = _create(api, "/api/v1/web-test/scripts/", SCRIPT)
    base = f"/api/v1/web-test/scripts/{script['id']}"
    run = api.post(f"{base}/run", format="json").json()
    stopped = api.post(f"{base}/stop")
    assert stopped.status_code == 202 and stopped.json()["status"] == "revoked"
    assert Job.objects.get(pk=run["job_id"]).status == "revoked"
    assert api.post(f"{base}/stop").status_code == 409


def test_a_load_test_run_takes_locust_parameters(api):
    scenario = _create(api, "/api/v1/perf-test/scenarios/", SCENARIO)
    base = f"/api/v1/perf-test/scenarios/{scenario['id']}"
    response = api.post(f"{base}/run", {"user_count": 20, "spawn_rate": 10, "run_time": "2m", "priority": 3},
                        format="json")
    assert response.status_code == 202
    job = Job.objects.get(pk=response.json()["job_id"])
    assert job.params == {"scenario_id": scenario["id"], "user_count": 20, "spawn_rate": 10.0, "run_time": 120}
    assert (job.kind, job.priority) == ("testing.perf", 3)


@pytest.mark.parametrize("body,field", [
    ({"user_count": settings.TESTING_MAX_USER_COUNT + 1, "spawn_rate": 1, "run_time": 10}, "user_count"),
    ({"user_count": 1, "spawn_rate": settings.TESTING_MAX_SPAWN_RATE + 1, "run_time": 10}, "spawn_rate"),
    ({"user_count": 1, "spawn_rate": 1, "run_time": settings.TESTING_MAX_RUN_TIME_S + 1}, "run_time"),
    ({"user_count": 1, "spawn_rate": 1, "run_time": "ten minutes"}, "run_time"),
    ({"user_count": 1, "spawn_rate": 1, "run_time": 0}, "run_time"),
    ({"spawn_rate": 1, "run_time": 10}, "user_count"),
    ({"user_count": 1, "spawn_rate": 1, "run_time": 10, "hatch_rate": 3}, "hatch_rate"),
])
def test_load_test_limits_are_400s_naming_the_field(api, body, field):
    scenario = _create(api, "/api/v1/perf-test/scenarios/", SCENARIO)
    response = api.post(f"/api/v1/perf-test/scenarios/{scenario['id']}/run", body, format="json")
    assert response.status_code == 400 and list(response.json()) == [field]
    assert not Job.objects.exists()


def test_a_target_refused_at_run_time_is_a_400_naming_base_url(api, settings):
    scenario = _create(api, "/api/v1/perf-test/scenarios/", SCENARIO)
    settings.TESTING_ALLOWED_TARGETS = ["10.0.0.0/8"]  # the operator narrowed the list since
    response = api.post(f"/api/v1/perf-test/scenarios/{scenario['id']}/run",
                        {"user_count": 1, "spawn_rate": 1, "run_time": 5}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["base_url"]
    assert not Job.objects.exists()


def test_the_generic_jobs_endpoint_checks_that_the_script_is_yours(api, bob):
    other = APIClient()
    other.force_authenticate(bob)
    script = _create(api, "/api/v1/web-test/scripts/", SCRIPT)
    response = other.post("/api/jobs/", {"kind": "testing.web", "params": {"script_id": script["id"]}}, format="json")
    assert response.status_code == 400 and "script_id" in response.json()["params"]
    mine = api.post("/api/jobs/", {"kind": "testing.web", "params": {"script_id": script["id"]}}, format="json")
    assert mine.status_code == 201
