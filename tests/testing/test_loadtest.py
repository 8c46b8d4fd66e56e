"""The asyncio load engine against a live target: ramp-up, live figures, totals, and stopping."""
import asyncio
import time

from apps.testing.loadstats import LoadStats, percentile, rounded_ms
from apps.testing.loadtest import LoadTest

REQUESTS = [{"name": "home", "method": "GET", "path": "/ok", "weight": 3},
            {"name": "broken", "method": "GET", "path": "/fail", "weight": 1}]


def _engine(target, **overrides):
    options = dict(base_url=target.url, requests=REQUESTS, think_time_ms=[0, 20], user_count=6, spawn_rate=6,
                   run_time_s=2, stop_timeout_s=5)
    options.update(overrides)
    return LoadTest(**options)


async def test_a_short_run_ramps_up_reports_each_second_and_agrees_with_the_target(target):
    engine = _engine(target)
    points = []

    async def on_second(point):
        points.append(engine.live(point))

    result = await engine.run(on_second)

    assert len(points) == 1 and points[0]["users"] == 6 and points[0]["requests"] > 0
    assert {row["name"] for row in points[0]["table"]} == {"home", "broken"}
    stats = result["stats"]
    assert stats["requests"] == target.total  # every request sent was answered and counted
    assert stats["failures"] == target.count("/fail")
    assert stats["p50_ms"] is not None and stats["p50_ms"] <= stats["p95_ms"] <= stats["p99_ms"]
    assert result["state"] == "finished"
    assert [p["t"] for p in result["series"]] == sorted(p["t"] for p in result["series"])
    assert result["series"][-1]["requests"] == stats["requests"]
    rows = {row["name"]: row for row in result["table"]}
    assert rows["broken"]["failures"] == rows["broken"]["requests"] == target.count("/fail")
    assert rows["home"]["failures"] == 0 and rows["home"]["requests"] == target.count("/ok")
    assert result["errors"] == {"GET broken: HTTP 500": target.count("/fail")}


async def test_users_ramp_at_the_spawn_rate(target):
    engine = _engine(target, user_count=3, spawn_rate=1.5, run_time_s=2.5, think_time_ms=[50, 50])
    users = []

    async def on_second(point):
        users.append(point["users"])

    await engine.run(on_second)
    assert users == [2, 3]  # users start at 0, 0.67 and 1.33 s


async def test_cancelling_a_run_stops_requests_at_once_and_keeps_partial_figures(target):
    engine = _engine(target, run_time_s=60, think_time_ms=[0, 0])
    task = asyncio.create_task(engine.run(lambda point: asyncio.sleep(0)))
    while engine.stats.total.requests < 50:
        await asyncio.sleep(0.01)
    started = time.monotonic()
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert time.monotonic() - started < 1.0
    partial = engine.result("stopped")
    assert partial["state"] == "stopped" and partial["stats"]["requests"] >= 50
    assert partial["series"] and partial["series"][-1]["requests"] == partial["stats"]["requests"]
    settled = target.total
    assert abs(settled - partial["stats"]["requests"]) <= engine.user_count  # at most the in-flight ones


def test_latencies_are_bucketed_like_locust_and_percentiles_read_from_the_buckets():
    assert [rounded_ms(v) for v in (3.4, 99.6, 147, 1234, 23456)] == [3, 100, 150, 1200, 23000]
    stats = LoadStats()
    for ms in range(1, 101):
        stats.record(name="a", method="GET", elapsed_ms=ms, failed=ms > 90)
    point = stats.second(t=1.0, users=1, interval_s=1.0)
    assert (point["p50_ms"], point["p95_ms"], point["p99_ms"]) == (50.0, 95.0, 99.0)
    assert point["rps"] == 100 and point["fps"] == 10
    assert stats.stats(2.0)["rps"] == 50 and stats.stats(2.0)["fail_ratio"] == 0.1
    assert percentile(stats.total.histogram, 0, 0.5) is None
