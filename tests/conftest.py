"""Shared fixtures: users and tokens for unit tests (integration fixtures live in their folders)."""
import pytest


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
