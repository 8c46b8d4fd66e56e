"""Error pages: API paths answer JSON, never Django's HTML pages."""
from __future__ import annotations

from django.http import JsonResponse
from django.utils.translation import gettext
from django.views.defaults import page_not_found, server_error

# Paths machines call: their errors are JSON like the rest of the API.
API_PREFIXES = ("/api/", "/celery-progress/", "/metrics")


def not_found(request, exception=None):
    """A URL that matches no route (or a 404 raised by a view): JSON for API paths."""
    if request.path.startswith(API_PREFIXES):
        return JsonResponse({"detail": gettext("not found")}, status=404)
    return page_not_found(request, exception)


def server_failure(request):
    if request.path.startswith(API_PREFIXES):
        return JsonResponse({"detail": gettext("internal server error")}, status=500)
    return server_error(request)
