"""Benchmark smoke runs: one small live stack shared by the module, every test marked integration."""
import pytest

from bench.stacks import bench_stack


@pytest.fixture(scope="module")
def live():
    # Threads pool: push_vs_polling and fanout need their few jobs to run at the same time.
    stack = bench_stack(threaded=True, concurrency=8, daphnes=2)
    yield stack
    stack.stop()
