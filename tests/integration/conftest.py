"""Integration fixtures: one real stack (daphne + Celery worker) shared by the session."""
import pytest

from livestack.stack import LiveStack


@pytest.fixture(scope="package")  # torn down when the folder is done: stacks never pile up
def stack():
    live = LiveStack(workers=1, daphnes=2).start()
    yield live
    live.stop()
