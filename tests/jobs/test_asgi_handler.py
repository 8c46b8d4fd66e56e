"""project/asgi_handler.py: sync views in the long-lived pool, async views on Django's own async path."""
import asyncio
import threading

import pytest
from django.db import connection
from django.http import JsonResponse
from django.urls import path

from project.asgi_handler import ThreadedASGIHandler
from tests.jobs.test_static_asgi import request


def sync_view(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"thread": threading.current_thread().name, "connection": id(connection.connection)})


async def async_view(request):
    await asyncio.sleep(0)
    return JsonResponse({"loop": asyncio.get_running_loop() is not None, "thread": threading.current_thread().name})


urlpatterns = [path("sync/", sync_view), path("async/", async_view)]


@pytest.fixture
def handler(settings):
    settings.ROOT_URLCONF = __name__
    return ThreadedASGIHandler()


def answer(handler, url):
    import json

    status, _, body = request(handler, url)
    assert status == 200
    return json.loads(body)


@pytest.mark.django_db(transaction=True)
def test_sync_views_run_in_the_pool_and_keep_their_connection(handler, settings):
    # More requests than pool threads: some thread serves two, and keeps one connection for both.
    answers = [answer(handler, "/sync/") for _ in range(settings.JOBS_HTTP_THREADS + 1)]
    assert all(a["thread"].startswith("http") for a in answers)
    connections_by_thread: dict[str, set[int]] = {}
    for a in answers:
        connections_by_thread.setdefault(a["thread"], set()).add(a["connection"])
    assert len(connections_by_thread) <= settings.JOBS_HTTP_THREADS
    assert all(len(ids) == 1 for ids in connections_by_thread.values()), connections_by_thread


def test_async_views_run_on_the_event_loop(handler):
    assert answer(handler, "/async/") == {"loop": True, "thread": threading.current_thread().name}
