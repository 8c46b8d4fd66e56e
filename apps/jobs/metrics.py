"""Prometheus metrics of the jobs core, fed by one-line calls in `events`, `publisher` and `consumers`.

Plain prometheus-client objects in the process's default registry. When the environment
variable PROMETHEUS_MULTIPROC_DIR names a shared directory (one host: `jobcast run`, systemd,
supervisor), prometheus-client keeps them in files there and the web process's `/metrics`
(apps.ops) adds up every process: workers' finished counters included.
"""
from __future__ import annotations

import time
from datetime import datetime

from prometheus_client import Counter, Gauge, Histogram

from apps.jobs import states

JOBS_CREATED = Counter("jobcast_jobs_created", "Jobs created (their first `pending` event).", ["kind"])
JOBS_FINISHED = Counter("jobcast_jobs_finished", "Jobs that reached a terminal status.", ["kind", "status"])
JOB_DURATION = Histogram(
    "jobcast_job_duration_seconds", "From `started` to the terminal event, per kind and status.",
    ["kind", "status"], buckets=(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 10800),
)
DELIVERY_LATENCY = Histogram(
    "jobcast_event_delivery_latency_seconds",
    "From the event's emission (its `ts`) to a consumer sending it over a WebSocket.",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
PUSH_FAILURES = Counter(
    "jobcast_event_push_failures", "Events stored but not pushed after retries (clients recover by after=seq).",
)
WS_CONNECTIONS = Gauge("jobcast_websocket_connections", "WebSocket connections open.",
                       multiprocess_mode="livesum")

def event_recorded(*, kind: str, event: str, status: str, seq: int) -> None:
    """Count a job's creation (seq 1) and its terminal transitions, after the commit."""
    if event == "pending" and seq == 1:
        JOBS_CREATED.labels(kind=kind).inc()
    elif event in states.TERMINAL:
        JOBS_FINISHED.labels(kind=kind, status=status).inc()


def event_delivered(event: dict) -> None:
    """Observe worker emit → consumer send for one live event, or its channel message: either
    carries `ts` (clock skew clamps at 0)."""
    try:
        emitted = datetime.fromisoformat(event["ts"]).timestamp()
    except (KeyError, TypeError, ValueError):
        return
    DELIVERY_LATENCY.observe(max(0.0, time.time() - emitted))
