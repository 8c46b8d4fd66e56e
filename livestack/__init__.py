"""Real Jobcast process stacks (redis-server, daphne, Celery workers) for tests and benchmarks.

Its own top-level package so that `tests/` and `bench/` both import it and never each other.
"""
