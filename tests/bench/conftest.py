"""Benchmark smoke runs: one small live stack shared by the module, every test marked integration."""
import pytest

from bench.stacks import bench_stack


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/bench" in str(item.fspath):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="module")
def live():
    # Threads pool: push_vs_polling and fanout need their few jobs to run at the same time.
    stack = bench_stack(threaded=True, concurrency=8, daphnes=2)
    yield stack
    stack.stop()
