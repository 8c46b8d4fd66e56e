"""Integration fixtures: one real stack (daphne + Celery worker) shared by the session."""
import pytest

from tests.live_stack import LiveStack


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/integration" in str(item.fspath):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="package")  # torn down when the folder is done: stacks never pile up
def stack():
    live = LiveStack(workers=1, daphnes=2).start()
    yield live
    live.stop()
