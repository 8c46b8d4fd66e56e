"""Job creation and token issuing are throttled per user / per client: 429 with Retry-After."""
import httpx
import pytest

from livestack.stack import LiveStack


@pytest.fixture(scope="module")
def strict_stack():
    live = LiveStack(env={"JOBS_THROTTLE_CREATE": "3/min", "JOBS_THROTTLE_TOKEN": "2/min"}).start()
    yield live
    live.stop()


def test_job_creation_is_throttled_per_user_with_retry_after(strict_stack):
    stack = strict_stack
    with stack.client("alice") as alice, stack.client("bob") as bob:
        codes = [alice.post("/api/jobs/", json={"kind": "jobs.ticker", "params": {"steps": 1}}).status_code
                 for _ in range(4)]
        assert codes == [201, 201, 201, 429]
        refused = alice.post("/api/jobs/", json={"kind": "jobs.ticker", "params": {"steps": 1}})
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
        assert "throttled" in refused.json()["detail"].lower()
        assert alice.get("/api/jobs/").status_code == 200  # reading is not throttled
        assert bob.post("/api/jobs/", json={"kind": "jobs.ticker", "params": {"steps": 1}}).status_code == 201
        assert alice.get("/api/jobs/").json()["count"] == 3


def test_token_endpoint_is_throttled(strict_stack):
    url = f"{strict_stack.base}/api/auth/token/"
    codes = [httpx.post(url, json={"username": "alice", "password": "wrong"}).status_code for _ in range(3)]
    assert codes == [400, 400, 429]
