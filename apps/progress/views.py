"""celery-progress's polling endpoint `/celery-progress/<task_id>/`. Thin."""
from __future__ import annotations

from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.jobs.serializers import ErrorDetailSerializer
from apps.progress.payloads import job_for_task, task_payload, unknown_task_payload
from apps.progress.serializers import CeleryProgressSerializer


@method_decorator(never_cache, name="dispatch")
class CeleryProgressView(APIView):
    """celery-progress's polling endpoint, for the job behind a Celery task id (yours only)."""

    @extend_schema(responses={200: CeleryProgressSerializer, 404: ErrorDetailSerializer},
                   summary="celery-progress compatible task progress")
    def get(self, request, task_id: str):
        job, exists = job_for_task(request.user, task_id)
        if job is not None:
            return Response(task_payload(job))
        if exists:
            return Response({"detail": gettext("no such task")}, status=404)
        # Not adopted yet (queued, or started without a report): celery-progress says PENDING, keep polling.
        return Response(unknown_task_payload())
