"""Settings of the web-test and load-test app, read from the environment (see docs/testing.md)."""
from __future__ import annotations

from project.env import env_float, env_int, env_list

# Hosts, IP addresses or networks (CIDR) a script or scenario may target. The default keeps
# the platform from being turned against third parties: this host's loopback only.
ALLOWED_TARGETS: list[str] = env_list("TESTING_ALLOWED_TARGETS", "127.0.0.1,::1,localhost")

# Load-test maximums: a refused value is a 400 naming the field.
MAX_USER_COUNT: int = env_int("TESTING_MAX_USER_COUNT", 1000)
MAX_SPAWN_RATE: float = env_float("TESTING_MAX_SPAWN_RATE", 100.0)
MAX_RUN_TIME_S: int = env_int("TESTING_MAX_RUN_TIME_S", 3600)
MAX_REQUESTS_PER_SCENARIO: int = env_int("TESTING_MAX_REQUESTS_PER_SCENARIO", 50)
# Think time between a user's requests, milliseconds.
MAX_THINK_TIME_MS: int = env_int("TESTING_MAX_THINK_TIME_MS", 60_000)
# A load-test request slower than this counts as a failure.
PERF_REQUEST_TIMEOUT_S: float = env_float("TESTING_PERF_REQUEST_TIMEOUT_S", 30.0)
# At the end of run_time, in-flight requests get this long to finish (then they are cancelled).
PERF_STOP_TIMEOUT_S: float = env_float("TESTING_PERF_STOP_TIMEOUT_S", 5.0)

# Web-test limits.
MAX_STEPS: int = env_int("TESTING_MAX_STEPS", 100)
DEFAULT_STEP_TIMEOUT_S: float = env_float("TESTING_DEFAULT_STEP_TIMEOUT_S", 10.0)
MAX_STEP_TIMEOUT_S: float = env_float("TESTING_MAX_STEP_TIMEOUT_S", 120.0)
# Hard cap on a whole web-test run (the job's soft time limit; the hard one is a minute later).
WEB_TIME_LIMIT_S: int = env_int("TESTING_WEB_TIME_LIMIT_S", 1800)
# How much of a response body a step result keeps.
RESPONSE_EXCERPT_CHARS: int = env_int("TESTING_RESPONSE_EXCERPT_CHARS", 500)

# Infrastructure errors (target unreachable) are retried this often, this long apart.
MAX_RETRIES: int = env_int("TESTING_MAX_RETRIES", 3)
RETRY_DELAY_S: float = env_float("TESTING_RETRY_DELAY_S", 60.0)

# How often a running job checks for a stop request; a stop lands within this (plus one request).
STOP_POLL_S: float = env_float("TESTING_STOP_POLL_S", 0.2)

# The nightly cleanup (testing.cleanup_old_results, 02:00) deletes runs older than this.
RESULT_RETENTION_DAYS: int = env_int("TESTING_RESULT_RETENTION_DAYS", 30)
