"""The web-test and load-test app (apps.testing): allowed targets and limits (docs/testing.md)."""
from __future__ import annotations

from project.environment import env

# Hosts, IP addresses or networks (CIDR) a script or scenario may target. The default keeps
# the platform from being turned against third parties: this host's loopback only.
TESTING_ALLOWED_TARGETS: list[str] = env.list("TESTING_ALLOWED_TARGETS", default=["127.0.0.1", "::1", "localhost"])

# Load-test maximums: a refused value is a 400 naming the field.
TESTING_MAX_USER_COUNT: int = env.int("TESTING_MAX_USER_COUNT", 1000)
TESTING_MAX_SPAWN_RATE: float = env.float("TESTING_MAX_SPAWN_RATE", 100.0)
TESTING_MAX_RUN_TIME_S: int = env.int("TESTING_MAX_RUN_TIME_S", 3600)
TESTING_MAX_REQUESTS_PER_SCENARIO: int = env.int("TESTING_MAX_REQUESTS_PER_SCENARIO", 50)
# Think time between a user's requests, milliseconds.
TESTING_MAX_THINK_TIME_MS: int = env.int("TESTING_MAX_THINK_TIME_MS", 60_000)
# A load-test request slower than this counts as a failure.
TESTING_PERF_REQUEST_TIMEOUT_S: float = env.float("TESTING_PERF_REQUEST_TIMEOUT_S", 30.0)
# At the end of run_time, in-flight requests get this long to finish (then they are cancelled).
TESTING_PERF_STOP_TIMEOUT_S: float = env.float("TESTING_PERF_STOP_TIMEOUT_S", 5.0)

# Web-test limits.
TESTING_MAX_STEPS: int = env.int("TESTING_MAX_STEPS", 100)
TESTING_DEFAULT_STEP_TIMEOUT_S: float = env.float("TESTING_DEFAULT_STEP_TIMEOUT_S", 10.0)
TESTING_MAX_STEP_TIMEOUT_S: float = env.float("TESTING_MAX_STEP_TIMEOUT_S", 120.0)
# Hard cap on a whole web-test run (the job's soft time limit; the hard one is a minute later).
TESTING_WEB_TIME_LIMIT_S: int = env.int("TESTING_WEB_TIME_LIMIT_S", 1800)
# How much of a response body a step result keeps.
TESTING_RESPONSE_EXCERPT_CHARS: int = env.int("TESTING_RESPONSE_EXCERPT_CHARS", 500)

# Infrastructure errors (target unreachable) are retried this often, this long apart.
TESTING_MAX_RETRIES: int = env.int("TESTING_MAX_RETRIES", 3)
TESTING_RETRY_DELAY_S: float = env.float("TESTING_RETRY_DELAY_S", 60.0)

# How often a running job checks for a stop request; a stop lands within this (plus one request).
TESTING_STOP_POLL_S: float = env.float("TESTING_STOP_POLL_S", 0.2)

# The nightly cleanup (testing.cleanup_old_results, 02:00 in CELERY_BEAT_SCHEDULE) deletes runs older than this.
TESTING_RESULT_RETENTION_DAYS: int = env.int("TESTING_RESULT_RETENTION_DAYS", 30)
