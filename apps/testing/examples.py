"""The "Example" of the testing kinds: a web test and a small load test of this service's own health
endpoint, which the default TESTING_ALLOWED_TARGETS (loopback) permit in development.

A run needs a script or scenario first, so each example says what to create (`create`: the form
POSTs `body` to `url`, with `{origin}` replaced by the page's origin, and puts the new id into
`param`): two ordinary API calls, nothing special-cased on the server.
"""
from __future__ import annotations

HEALTH = {"name": "health", "method": "GET", "path": "/api/health/", "timeout_s": 5,
          "expect": {"json": {"database": "ok"}}}

WEB = {
    "create": {"url": "/api/v1/web-test/scripts/", "param": "script_id",
               "body": {"name": "Jobcast health (example)", "base_url": "{origin}", "steps": [
                   HEALTH, {"name": "kinds", "method": "GET", "path": "/api/kinds/", "expect": {"status": 200}}]}},
    "params": {},
}
PERF = {
    "create": {"url": "/api/v1/perf-test/scenarios/", "param": "scenario_id",
               "body": {"name": "Jobcast health (example)", "base_url": "{origin}",
                        "requests": [{"name": "health", "method": "GET", "path": "/api/health/", "weight": 1}],
                        "think_time_ms": [100, 200]}},
    "params": {"user_count": 3, "spawn_rate": 3, "run_time": 5},
}
