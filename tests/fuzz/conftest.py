"""Fuzz fixtures: the live stack shared with tests/security (see tests/security/hostile_stack.py)."""
import pytest

from tests.security import hostile_stack


@pytest.fixture(scope="package")  # torn down when the folder is done: stacks never pile up
def live():
    stack = hostile_stack.acquire()
    yield stack
    hostile_stack.release()
