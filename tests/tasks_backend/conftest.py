"""Fixtures of the Django Tasks backend tests (run on Django 5.2 + django_tasks and on Django 6)."""
import pytest

from livestack.stack import LiveStack


@pytest.fixture
def inline_jobs(settings):
    """Jobs run in this process's inline pool (CELERY_ENABLED=false), as the contract allows."""
    settings.CELERY_ENABLED = False
    return settings


@pytest.fixture(scope="package")
def stack():
    """One real stack (daphne, Celery worker, Redis) for the live tests of this folder."""
    live = LiveStack(workers=1, daphnes=1).start()
    yield live
    live.stop()
