"""Fixtures of the testing app's unit tests: a live target server on loopback."""
import pytest

from tests.testing.target_server import TargetServer


@pytest.fixture
def target():
    server = TargetServer().start()
    yield server
    server.stop()
