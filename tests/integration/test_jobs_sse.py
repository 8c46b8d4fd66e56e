"""Server-Sent Events end to end: daphne streams a job's events to a raw HTTP client."""
import threading

import httpx
import pytest

from livestack.stack import LiveStack, wait_until
from tests.sse_client import collect

TERMINAL = ("success", "failure", "revoked")


def stream_url(stack, job_id: str, query: str = "", index: int = 0) -> str:
    return f"http://127.0.0.1:{stack.daphne_ports[index]}/api/jobs/{job_id}/stream/{query}"


def test_snapshot_first_then_every_event_with_id_equal_to_seq_then_the_stream_ends(stack):
    job = stack.submit(params={"steps": 8, "interval_ms": 30})
    got = collect(stream_url(stack, job["id"]), stack.ws_headers())
    assert got.status == 200 and got.ended, "the server ends the stream after the terminal event"
    assert got.headers["content-type"].startswith("text/event-stream")
    assert got.headers["cache-control"] == "no-cache" and got.headers["x-accel-buffering"] == "no"
    first = got.messages[0]
    assert first.event == "snapshot" and first.id is None and first.json["id"] == job["id"]
    events = [m for m in got.messages if m.event != "snapshot"]
    assert [int(m.id) for m in events] == [m.json["seq"] for m in events] == list(range(1, len(events) + 1))
    assert [m.event for m in events] == [m.json["event"] for m in events]
    assert events[-1].event == "success"
    stored = stack.events(job["id"])
    assert [(e["seq"], e["event"], e["progress"]) for e in got.events] == [
        (e["seq"], e["event"], e["progress"]) for e in stored]


def test_last_event_id_resumes_with_exactly_the_missed_events(stack):
    job = stack.submit(params={"steps": 60, "interval_ms": 40})
    first = collect(stream_url(stack, job["id"]), stack.ws_headers(),
                    until=lambda m: m.event == "progress" and m.json["progress"] >= 20)
    assert not first.ended
    last = first.seqs[-1]
    wait_until(lambda: stack.job(job["id"])["seq"] > last + 3, 30, what="events while disconnected")
    # A browser reconnects to its original URL (?after=0) and adds Last-Event-ID: the header wins.
    second = collect(stream_url(stack, job["id"], "?after=0", index=1),
                     {**stack.ws_headers(), "Last-Event-ID": str(last)})
    assert second.messages[0].event == "snapshot" and second.ended
    assert second.seqs[0] == last + 1
    combined = first.seqs + second.seqs
    assert combined == list(range(1, len(combined) + 1)), "gap or duplicate at the seam"
    assert second.events[-1]["event"] == "success"


def test_after_query_resumes_a_finished_job_and_a_caught_up_client_gets_only_the_snapshot(stack):
    job = stack.submit(params={"steps": 3, "interval_ms": 0})
    done = stack.wait_job(job["id"])
    tail = collect(stream_url(stack, job["id"], f"?after={done['seq'] - 2}"), stack.ws_headers())
    assert tail.ended and tail.seqs == [done["seq"] - 1, done["seq"]]
    caught_up = collect(stream_url(stack, job["id"], f"?after={done['seq']}"), stack.ws_headers())
    assert caught_up.ended and [m.event for m in caught_up.messages] == ["snapshot"]
    assert caught_up.messages[0].json["status"] == "success"


def test_another_users_job_is_404_anonymous_is_401_and_a_bad_resume_point_is_400_naming_it(stack):
    job = stack.submit(params={"steps": 2, "interval_ms": 0})
    assert collect(stream_url(stack, job["id"]), stack.ws_headers("bob")).status == 404
    assert collect(stream_url(stack, "not-a-uuid"), stack.ws_headers()).status == 404
    anonymous = collect(stream_url(stack, job["id"]))
    assert anonymous.status == 401
    assert collect(stream_url(stack, job["id"]), {"Authorization": "Token nope"}).status == 401
    bad = collect(stream_url(stack, job["id"], "?after=x"), stack.ws_headers())
    assert bad.status == 400 and "after" in bad.body
    bad = collect(stream_url(stack, job["id"]), {**stack.ws_headers(), "Last-Event-ID": "-1"})
    assert bad.status == 400 and "Last-Event-ID" in bad.body
    staff = collect(stream_url(stack, job["id"]), stack.ws_headers("root"))
    assert staff.status == 200 and staff.messages[0].json["id"] == job["id"]


def test_session_cookie_authenticates_a_stream(stack):
    with httpx.Client(base_url=stack.base, timeout=30) as browser:
        login = browser.get("/accounts/login/")
        csrf = browser.cookies["csrftoken"]
        browser.post("/accounts/login/", data={"username": "alice", "password": "alice-password",
                                               "csrfmiddlewaretoken": csrf}, headers={"Referer": stack.base + "/"})
        session = browser.cookies["sessionid"]
        assert login.status_code == 200
    job = stack.submit(params={"steps": 2, "interval_ms": 0})
    got = collect(stream_url(stack, job["id"]), {"Cookie": f"sessionid={session}"})
    assert got.status == 200 and got.ended and got.events[-1]["event"] == "success"


@pytest.fixture(scope="module")
def burst_stack():
    """No progress coalescing: a ticker then stores events as fast as the database takes them."""
    live = LiveStack(workers=1, daphnes=2, env={"JOBS_PROGRESS_MIN_INTERVAL_MS": "0"}).start()
    yield live
    live.stop()


def test_streams_opened_during_a_burst_each_get_every_event_once(burst_stack):
    stack = burst_stack
    job = stack.submit(params={"steps": 1500, "interval_ms": 0, "output": True})
    results: dict[int, object] = {}

    def follow(n: int) -> None:
        seq = stack.job(job["id"])["seq"]
        after = seq // 2 if n % 2 else 0  # half resume mid-log, half replay all of it
        results[n] = (after, collect(stream_url(stack, job["id"], f"?after={after}", index=n % 2),
                                     stack.ws_headers(), timeout=120))

    threads = []
    for n in range(12):
        # Staggered on the job's own progress, so each stream joins at a different moment of the burst.
        wait_until(lambda n=n: stack.job(job["id"])["seq"] >= 20 + 150 * n or stack.job(job["id"])["status"]
                   in TERMINAL, 60, what="the burst to move on")
        threads.append(threading.Thread(target=follow, args=(n,)))
        threads[-1].start()
    for t in threads:
        t.join(150)
    final = stack.wait_job(job["id"])
    assert final["status"] == "success"
    joined_live = 0
    for n, (after, got) in sorted(results.items()):
        assert got.ended, f"stream {n} did not end"
        assert got.seqs == list(range(after + 1, final["seq"] + 1)), f"stream {n}: gap or duplicate"
        joined_live += got.messages[0].json["seq"] < final["seq"]
    assert len(results) == 12 and joined_live >= 1, "no stream joined while the burst was running"


def output_text(events: list[dict]) -> str:
    return "".join(e["data"]["text"] for e in events if e["event"] == "output")


def test_ticker_output_streams_as_output_events_and_is_served_whole_as_text(stack):
    job = stack.submit(params={"steps": 25, "interval_ms": 10, "output": True})
    got = collect(stream_url(stack, job["id"]), stack.ws_headers())
    assert got.ended and got.events[-1]["event"] == "success"
    expected = "".join(f"step {i} of 25\n" for i in range(1, 26))
    assert output_text(got.events) == expected
    assert 1 < sum(e["event"] == "output" for e in got.events) < 25, "chunks inside the window are joined"
    with stack.client() as c:
        answer = c.get(f"/api/jobs/{job['id']}/output/")
        assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/plain")
        assert answer.text == expected
    with stack.client("bob") as c:
        assert c.get(f"/api/jobs/{job['id']}/output/").status_code == 404


def test_media_script_streams_its_script_as_output(stack):
    job = stack.submit("media.script", {"topic": "paper boats", "scenes": 3, "characters": 2})
    got = collect(stream_url(stack, job["id"]), stack.ws_headers())
    assert got.ended and got.events[-1]["event"] == "success", got.events[-1]
    done = stack.job(job["id"])
    files = {f["name"]: f for f in done["result"]["files"]}
    with stack.client() as c:
        script_txt = c.get(files["script.txt"]["url"]).text
        assert c.get(f"/api/jobs/{job['id']}/output/").text == script_txt
    assert output_text(got.events) == script_txt and "Scene 3:" in script_txt
    first_output = next(e["seq"] for e in got.events if e["event"] == "output")
    saving = next(e["seq"] for e in got.events if e["event"] == "stage" and e["stage"] == "saving")
    assert first_output < saving, "the script is streamed while it is written, not after"


def test_a_client_that_hangs_up_leaves_no_subscription_behind(stack):
    """The stream's channel and its place in the job's group go when the client disconnects."""
    import redis

    job = stack.submit(params={"steps": 200, "interval_ms": 100})
    stack.wait_job(job["id"], statuses=("started",))
    r = redis.Redis.from_url(stack.redis_url, socket_timeout=5)

    def subscribed() -> tuple[int, int]:
        return len(r.pubsub_channels("asgisse.*")), len(r.pubsub_channels(f"asgi__group__job.{job['id']}"))

    try:
        with httpx.Client(timeout=30) as client, \
                client.stream("GET", stream_url(stack, job["id"]), headers=stack.ws_headers()) as response:
            lines = response.iter_lines()
            assert next(lines) == "event: snapshot"
            wait_until(lambda: subscribed() == (1, 1), 20, what="the stream's channel and group subscription")
        wait_until(lambda: subscribed() == (0, 0), 30, what="the subscriptions to go after the hang-up")
    finally:
        r.close()
        with stack.client() as c:
            c.post(f"/api/jobs/{job['id']}/cancel/")
