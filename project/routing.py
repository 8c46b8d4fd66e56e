"""WebSocket URL routing: the core's job sockets plus whatever domain apps declare."""
from __future__ import annotations

from importlib import import_module

from django.apps import apps

from apps.jobs.routing import websocket_urlpatterns as jobs_patterns

websocket_urlpatterns = list(jobs_patterns)
# Domain apps may add sockets in their own routing.py (e.g. celery-progress compatibility).
for config in apps.get_app_configs():
    if config.name.startswith("apps.") and config.name != "apps.jobs":
        try:
            module = import_module(f"{config.name}.routing")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.routing":
                raise
            continue
        websocket_urlpatterns += list(getattr(module, "websocket_urlpatterns", []))
