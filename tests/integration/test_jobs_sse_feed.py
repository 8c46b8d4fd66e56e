"""The feed as Server-Sent Events (`GET /api/jobs/stream/`): what the JS client reads when WebSockets are refused."""
import threading

import httpx

from tests.sse_client import Message, collect

TERMINAL = ("success", "failure", "revoked")


def feed_url(stack) -> str:
    return f"http://127.0.0.1:{stack.daphne_ports[0]}/api/jobs/stream/"


def read_feed_while(stack, submit, user: str = "alice"):
    """Open the feed, wait for `ready`, call `submit()` (returns the job to wait for), read until it ends."""
    state: dict = {"ready": threading.Event(), "job": None}

    def until(message: Message) -> bool:
        if message.event == "ready":
            state["ready"].set()
        job = state["job"]
        return job is not None and message.event in TERMINAL and message.json["job_id"] == job["id"]

    result: dict = {}
    reader = threading.Thread(target=lambda: result.update(stream=collect(feed_url(stack), stack.ws_headers(user),
                                                                          until=until, timeout=90)))
    reader.start()
    assert state["ready"].wait(30), "no ready message"
    state["job"] = submit()
    reader.join(120)
    return result["stream"], state["job"]


def test_ready_first_then_each_event_of_the_users_job_once_in_order_without_ids(stack):
    got, job = read_feed_while(stack, lambda: stack.submit(params={"steps": 12, "interval_ms": 20}))
    assert got.status == 200 and got.headers["content-type"].startswith("text/event-stream")
    assert got.headers["cache-control"] == "no-cache" and got.headers["x-accel-buffering"] == "no"
    assert got.messages[0].event == "ready"
    mine = [m for m in got.messages if m.event not in ("ready", "comment") and m.json["job_id"] == job["id"]]
    assert all(m.id is None for m in mine), "a feed has no single resume point: no id lines"
    assert [m.event for m in mine] == [m.json["event"] for m in mine]
    stored = stack.events(job["id"])
    assert [m.json["seq"] for m in mine] == [e["seq"] for e in stored], "each stored event once, in order"


def test_another_users_job_is_not_in_the_feed_and_no_credentials_is_401(stack):
    other = {}

    def submit_both():
        other.update(stack.submit(params={"steps": 2, "interval_ms": 0}, user="bob"))
        stack.wait_job(other["id"], user="bob")
        return stack.submit(params={"steps": 2, "interval_ms": 0})

    got, _ = read_feed_while(stack, submit_both)
    assert not [m for m in got.messages if m.event not in ("ready", "comment") and m.json["job_id"] == other["id"]]
    assert httpx.get(feed_url(stack)).status_code == 401
