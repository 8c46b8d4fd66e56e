"""Async bodies inside prefork workers, and the no-broker inline mode (CELERY_ENABLED=false)."""
import pytest

from livestack.stack import LiveStack, ws_collect

pytestmark = pytest.mark.asyncio(loop_scope="function")


async def test_async_bodies_run_one_after_another_in_one_pool_process(stack):
    # Several coroutine jobs in the same worker processes: a loop closed after the first
    # (asyncio.run per task) would break the later ones with "attached to a different loop".
    jobs = [stack.submit(params={"steps": 5, "interval_ms": 5, "mode": "async"}) for _ in range(6)]
    for job in jobs:
        done = stack.wait_job(job["id"])
        assert done["status"] == "success", done.get("error")
        assert done["result"]["mode"] == "async"
    failing = stack.submit(params={"steps": 3, "interval_ms": 0, "mode": "async", "fail_at": 2})
    assert stack.wait_job(failing["id"])["error"]["type"] == "TickerFailure"


@pytest.fixture(scope="module")
def inline_stack():
    live = LiveStack(workers=0, env={"CELERY_ENABLED": "false"}).start()
    yield live
    live.stop()


async def test_inline_mode_runs_jobs_in_the_web_process_and_still_streams(inline_stack):
    stack = inline_stack
    job = stack.submit(params={"steps": 8, "interval_ms": 20})
    frames, _ = await ws_collect(f"{stack.ws_base()}/ws/jobs/{job['id']}/?after=0", stack.ws_headers())
    events = [f for f in frames if f["type"] == "event"]
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert events[-1]["event"] == "success"
    with stack.client() as c:
        health = c.get("/api/health/").json()
    assert health["workers"] == "ok" and health["broker"] == "ok"
    cancel_me = stack.submit(params={"steps": 500, "interval_ms": 20})
    stack.wait_job(cancel_me["id"], statuses=("started",))
    with stack.client() as c:
        assert c.post(f"/api/jobs/{cancel_me['id']}/cancel/").status_code == 202
    assert stack.wait_job(cancel_me["id"])["status"] == "revoked"
