"""Shared fixtures: users and tokens for unit tests (integration fixtures live in their folders)."""
import pytest
from django.db import connection


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


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run browser tests last: Playwright's sync API keeps an event loop running in the main
    thread for the rest of the session, which pytest-asyncio tests cannot share."""
    browser = [item for item in items if "/tests/browser/" in str(item.fspath)]
    if browser:
        items[:] = [item for item in items if item not in browser] + browser
