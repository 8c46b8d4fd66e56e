"""`/metrics` on the real stack: counters and gauges after jobs ran and were watched."""
from __future__ import annotations

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from livestack.stack import ws_collect

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="function")]


def scrape(stack) -> dict[tuple[str, tuple], float]:
    r = httpx.get(f"{stack.base}/metrics", timeout=30)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(r.text) for s in family.samples}


async def test_metrics_count_jobs_delivery_latency_connections_and_queues(stack):
    job = stack.submit(params={"steps": 5, "interval_ms": 50})
    frames, _ = await ws_collect(f"{stack.ws_base()}/ws/jobs/{job['id']}/", stack.ws_headers())
    assert frames[-1]["event"] == "success"
    doomed = stack.submit(params={"steps": 200, "interval_ms": 50})
    with stack.client() as c:
        assert c.post(f"/api/jobs/{doomed['id']}/cancel/").status_code == 202
    metrics = scrape(stack)
    assert metrics[("jobcast_jobs_created_total", (("kind", "jobs.ticker"),))] >= 2
    assert metrics[("jobcast_jobs_finished_total", (("kind", "jobs.ticker"), ("status", "revoked")))] >= 1
    assert metrics[("jobcast_jobs", (("kind", "jobs.ticker"), ("status", "success")))] >= 1
    assert metrics[("jobcast_event_delivery_latency_seconds_count", ())] >= 1
    assert ("jobcast_websocket_connections", ()) in metrics
    assert ("jobcast_queue_length", (("queue", "jobs"),)) in metrics
    assert metrics[("jobcast_broker_up", ())] == 1
