"""Shared fixtures: the suite's redis-server, users for unit tests, markers by folder.

Integration fixtures (live stacks) live in their folders.
"""
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection
from hypothesis import settings as hypothesis_settings

from livestack.redis_server import RedisServer

# Property tests explore new random cases on a developer's machine; in CI (CI=true) the same
# derandomized cases every run, so a landing never fails on a case no commit introduced. A case
# found locally goes into the test as an explicit example once it is fixed.
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
    hypothesis_settings.load_profile("ci")

TESTS = Path(__file__).resolve().parent
# Every test in these folders gets these markers: they start processes (a live stack, a browser,
# manage.py), so `-m "not integration and not browser and not chaos"` leaves the fast unit tests.
FOLDER_MARKERS = {
    "bench": ("integration",),
    "browser": ("browser", "integration"),
    "chaos": ("chaos", "integration"),
    "fuzz": ("integration",),
    "integration": ("integration",),
    "security": ("integration",),
}


@pytest.fixture(scope="session", autouse=True)
def test_redis() -> Iterator[str]:
    """The redis-server behind the test settings' cache, channel layer and broker (tests/settings.py)."""
    if not settings.TEST_REDIS_PRIVATE:
        yield settings.TEST_REDIS_URL
        return
    server = RedisServer.start(urlsplit(settings.TEST_REDIS_URL).port)
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test databases, and on PostgreSQL a clean drop at the end.

    Threads that ran ORM code (the inline job pool, Channels' `database_sync_to_async`) keep
    their persistent connections (CONN_MAX_AGE) and only the main thread's are closed, so
    PostgreSQL refused to drop the test database. End those idle sessions first.
    """
    yield
    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        connection.close()


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user("alice", password="alice-password")


@pytest.fixture
def bob(django_user_model):
    return django_user_model.objects.create_user("bob", password="bob-password")


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("root", password="root-password", is_staff=True)


def _folder(item: pytest.Item) -> str:
    """The folder under tests/ that holds the test ("" outside tests/); resolved, as TESTS is."""
    path = item.path.resolve()
    return path.relative_to(TESTS).parts[0] if path.is_relative_to(TESTS) else ""


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> Iterator[None]:
    """Mark tests by folder before `-m` deselects anything, then move browser tests last.

    Last because Playwright's sync API keeps an event loop running in the main thread for the
    rest of the session, which pytest-asyncio tests cannot share; after the other hooks, since
    pytest-django reorders tests too.
    """
    folders = {item.nodeid: _folder(item) for item in items}
    for item in items:
        for name in FOLDER_MARKERS.get(folders[item.nodeid], ()):
            item.add_marker(name)
    result = yield
    browser = [item for item in items if folders.get(item.nodeid) == "browser"]
    if browser:
        items[:] = [item for item in items if folders.get(item.nodeid) != "browser"] + browser
    return result
