"""WebSocket URL routing: the core's job sockets and celery-progress's, listed here one by one."""
from __future__ import annotations

from apps.jobs.routing import websocket_urlpatterns as jobs_patterns
from apps.progress.routing import websocket_urlpatterns as progress_patterns

websocket_urlpatterns = [*jobs_patterns, *progress_patterns]
