"""Django's ASGI handler with sync views served in one thread hop, off the shared thread.

Django's own ASGI handler runs the middleware stack in async mode: with sync middleware
(all of ours) that is a thread hop per middleware method and another for the view, about two
thirds of daphne's CPU per API request (docs/benchmarks.md, "HTTP cost"). Here a sync view goes
through the same middleware stack loaded in sync mode, as under WSGI, in one hop.

That hop goes to asgiref's thread pool rather than the single "thread-sensitive" thread, so a
request does not wait behind another request's database work; each pool thread keeps its own
connection (CONN_MAX_AGE), checked before and after every request as Django's request signals
do. SQLite serialises writers anyway, and concurrent deferred transactions there fail instead
of waiting, so on SQLite the hop stays on the one shared thread.

An async view (SSE streams) is served by Django's stock async path, loaded on first use.
"""
from __future__ import annotations

from asgiref.sync import iscoroutinefunction, sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.db import close_old_connections, connection
from django.http import HttpRequest, HttpResponseBase
from django.urls import Resolver404, get_resolver


class ThreadedASGIHandler(ASGIHandler):
    """ASGIHandler whose sync views run the sync middleware stack in one pool-thread hop."""

    _async_handler: ASGIHandler | None = None

    def load_middleware(self, is_async: bool = False) -> None:
        """The sync stack, whatever ASGIHandler asks for; async views get their own handler."""
        super().load_middleware(is_async=False)

    async def get_response_async(self, request: HttpRequest) -> HttpResponseBase:
        if self._view_is_async(request):
            if self._async_handler is None:
                self._async_handler = ASGIHandler()
            return await self._async_handler.get_response_async(request)
        return await sync_to_async(self._get_response_in_thread,
                                   thread_sensitive=connection.vendor == "sqlite")(request)

    def _get_response_in_thread(self, request: HttpRequest) -> HttpResponseBase:
        """The WSGI path, with this thread's connection checked as request_started/finished would."""
        close_old_connections()
        try:
            return self.get_response(request)
        finally:
            close_old_connections()

    @staticmethod
    def _view_is_async(request: HttpRequest) -> bool:
        try:
            match = get_resolver(getattr(request, "urlconf", None)).resolve(request.path_info)
        except Resolver404:
            return False
        return iscoroutinefunction(match.func)
