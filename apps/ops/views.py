"""HTTP endpoint of apps.ops: `/metrics`. Thin."""
from __future__ import annotations

from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST

from apps.ops.exposition import metrics_allowed, render_metrics


@never_cache
def metrics_view(request) -> HttpResponse:
    """Prometheus scrape endpoint; only for allowed addresses or the metrics token."""
    if not metrics_allowed(remote_addr=request.META.get("REMOTE_ADDR"),
                           authorization=request.META.get("HTTP_AUTHORIZATION")):
        return JsonResponse({"detail": gettext("metrics are not available to this client (OPS_METRICS_ALLOWED_IPS, "
                                               "OPS_METRICS_TOKEN)")}, status=403)
    return HttpResponse(render_metrics(), content_type=CONTENT_TYPE_LATEST)
