"""Django's ASGI handler with sync views served in one thread hop, off the shared thread.

Django's own ASGI handler runs the middleware stack in async mode: with sync middleware
(all of ours) that is a thread hop per middleware method and another for the view, about two
thirds of daphne's CPU per API request (docs/benchmarks.md, "HTTP cost"). Here a sync view goes
through the same middleware stack loaded in sync mode, as under WSGI, in one hop.

That hop goes to a pool of JOBS_HTTP_THREADS long-lived threads rather than a thread made for
each request (Django's ThreadSensitiveContext), so a request does not wait behind another
request's database work, and each thread keeps its database connection (CONN_MAX_AGE; Django's
own ASGI path connects anew for every request), checked by Django's request signals, which are
sent from that thread. On SQLite too: WAL lets reads go on while a writer waits for the lock
(with one thread there, every GET waited behind a POST stuck on it; bench/http_concurrency.py).

An async view (SSE streams) is served by Django's stock async path, loaded on first use.
"""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import iscoroutinefunction, sync_to_async
from django.conf import settings
from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.http import HttpRequest, HttpResponseBase
from django.urls import Resolver404, get_resolver, set_script_prefix


class ThreadedASGIHandler(ASGIHandler):
    """ASGIHandler whose sync views run the sync middleware stack in one pool-thread hop."""

    _async_handler: ASGIHandler | None = None

    def __init__(self) -> None:
        super().__init__()
        self._executor = ThreadPoolExecutor(max_workers=settings.JOBS_HTTP_THREADS, thread_name_prefix="http")
        self._in_thread = sync_to_async(self._get_response_in_thread, thread_sensitive=False,
                                        executor=self._executor)
        self._close_in_thread = sync_to_async(self._close_response, thread_sensitive=False,
                                              executor=self._executor)

    def load_middleware(self, is_async: bool = False) -> None:
        """The sync stack, whatever ASGIHandler asks for; async views get a stock handler."""
        super().load_middleware(is_async=False)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await super().__call__(scope, receive, send)  # Django's own refusal
        if _resolves_to_async_view(scope):
            if self._async_handler is None:
                self._async_handler = ASGIHandler()
            return await self._async_handler(scope, receive, send)
        # No per-request ThreadSensitiveContext (a new thread each time): sync views use the pool.
        return await self.handle(scope, receive, send)

    async def handle(self, scope, receive, send):
        """ASGIHandler.handle for a sync view: the request signals and the response's close() run
        in the pool thread that owns the connection (Django sends them from another thread), and
        no task watches for a disconnect (a sync view cannot be interrupted anyway)."""
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        try:
            set_script_prefix(get_script_prefix(scope))
            request, error_response = self.create_request(scope, body_file)
            response = error_response if request is None else await self.run_get_response(request)
            try:
                await self.send_response(response, send)
            except asyncio.CancelledError:
                pass  # the client went away while the answer was being sent
            await self._close_in_thread(response)
        finally:
            body_file.close()

    async def get_response_async(self, request: HttpRequest) -> HttpResponseBase:
        return await self._in_thread(request)

    def _get_response_in_thread(self, request: HttpRequest) -> HttpResponseBase:
        """The WSGI path; request_started closes this thread's obsolete connections first."""
        signals.request_started.send(sender=self.__class__, scope=request.scope)
        return self.get_response(request)

    @staticmethod
    def _close_response(response: HttpResponseBase) -> None:
        """Closing sends request_finished, which checks this thread's connection (CONN_MAX_AGE)."""
        response.close()


def _resolves_to_async_view(scope) -> bool:
    path, root = scope["path"], scope.get("root_path", "")
    if root and path.startswith(root):
        path = path[len(root):]
    try:
        match = get_resolver().resolve(path or "/")
    except Resolver404:
        return False
    return iscoroutinefunction(match.func)
