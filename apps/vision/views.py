"""The replaced system's visual-analysis endpoints. Thin: read the input, call a service, serialize."""
from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.jobs import selectors, states
from apps.jobs.parsers import SafeJSONParser
from apps.jobs.serializers import ErrorDetailSerializer
from apps.vision import services
from apps.vision.images import ImageRejected, image_bytes_from_base64, image_bytes_from_upload
from apps.vision.kinds import KIND
from apps.vision.serializers import (
    QUEUED_MESSAGE,
    AnalysisRequestSerializer,
    AnalysisStatusSerializer,
    analysis_status_payload,
)
from project.openapi import CLIENT_ERROR


class ComprehensiveAnalysisView(APIView):
    """Start a comprehensive analysis; with CELERY_ENABLED=false the answer holds the result."""

    parser_classes = [SafeJSONParser, MultiPartParser, FormParser]

    @extend_schema(request=AnalysisRequestSerializer,
                   responses={200: AnalysisStatusSerializer, 202: AnalysisStatusSerializer,
                              400: CLIENT_ERROR, 413: CLIENT_ERROR})
    def post(self, request):
        form = AnalysisRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data.get("image")
        field = "image" if upload else "image_data"
        try:
            if upload is not None:
                image = image_bytes_from_upload(upload)
            else:
                image = image_bytes_from_base64(form.validated_data["image_data"])
            job = services.analysis_start(owner=request.user, image=image)
        except ImageRejected as exc:
            return Response({field: [exc.said(field)]}, status=exc.status)
        if job.status in states.TERMINAL:
            return Response(analysis_status_payload(job), status=status.HTTP_200_OK)
        message = gettext(QUEUED_MESSAGE) if job.status == states.PENDING else None
        return Response(analysis_status_payload(job, message=message), status=status.HTTP_202_ACCEPTED)


class AnalysisStatusView(APIView):
    """The state of one analysis; another user's (or another kind's) job is a 404."""

    @extend_schema(responses={200: AnalysisStatusSerializer, 404: ErrorDetailSerializer})
    def get(self, request, task_id: str):
        job = selectors.job_for_user(request.user, task_id)
        if job is None or job.kind != KIND:
            raise Http404("no such task")
        return Response(analysis_status_payload(job))
