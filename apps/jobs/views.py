"""REST endpoints of the jobs core (docs/api.md). Thin: validate, call a service or selector, serialize."""
from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import Http404, HttpResponse
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.jobs import registry, selectors, services, states
from apps.jobs.health import health_report
from apps.jobs.renderers import PlainTextRenderer
from apps.jobs.serializers import (
    ErrorDetailSerializer,
    HealthSerializer,
    JobCreateSerializer,
    JobEventsPageSerializer,
    JobSerializer,
    KindSerializer,
)
from apps.jobs.throttling import RedisScopedRateThrottle


def _job_or_404(request, job_id):
    job = selectors.job_for_user(request.user, job_id)
    if job is None:
        raise Http404("no such job")
    return job


class KindListView(APIView):
    @extend_schema(responses=KindSerializer(many=True),
                   summary="Registered job kinds with the JSON Schema of their params")
    def get(self, request):
        return Response(KindSerializer(registry.submittable_kinds(), many=True, context={"request": request}).data)


class JobListCreateView(ListAPIView):
    serializer_class = JobSerializer
    throttle_scope = "job_create"

    def get_serializer_class(self):
        """Jobs are read with JobSerializer; OPTIONS describes what a POST takes."""
        return JobCreateSerializer if self.request.method in ("POST", "OPTIONS") else JobSerializer

    def get_throttles(self):
        """Only creating jobs is throttled; reading the list is not."""
        return [RedisScopedRateThrottle()] if self.request.method == "POST" else []

    @extend_schema(parameters=[
        OpenApiParameter("status", str, enum=list(states.STATUSES)),
        OpenApiParameter("kind", str),
    ], responses=JobSerializer(many=True))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        qs = selectors.jobs_visible_to(self.request.user).order_by("-created_at")
        status_filter = self.request.query_params.get("status")
        if status_filter:
            if status_filter not in states.STATUSES:
                raise serializers.ValidationError(
                    {"status": [gettext("unknown status %(status)r; one of %(statuses)s") % {
                        "status": status_filter, "statuses": ", ".join(states.STATUSES)}]})
            qs = qs.filter(status=status_filter)
        kind = self.request.query_params.get("kind")
        if kind:
            qs = qs.filter(kind=kind)
        return qs

    @extend_schema(request=JobCreateSerializer, responses={201: JobSerializer})
    def post(self, request):
        create = JobCreateSerializer(data=request.data, context={"request": request})
        create.is_valid(raise_exception=True)
        job = services.job_create(owner=request.user, **create.validated_data)
        return Response(JobSerializer(job).data, status=status.HTTP_201_CREATED)


class JobDetailView(APIView):
    @extend_schema(responses=JobSerializer)
    def get(self, request, job_id):
        return Response(JobSerializer(_job_or_404(request, job_id)).data)


class JobEventsView(APIView):
    @extend_schema(parameters=[OpenApiParameter("after", int)], responses=JobEventsPageSerializer)
    def get(self, request, job_id):
        job = _job_or_404(request, job_id)
        try:
            after = int(request.query_params.get("after", 0))
        except ValueError:
            raise serializers.ValidationError({"after": [gettext("must be an integer")]}) from None
        if after < 0:
            raise serializers.ValidationError({"after": [gettext("must not be negative")]})
        events = selectors.job_events_after(job.pk, after)
        return Response(JobEventsPageSerializer({"events": events, "seq": job.seq}).data)


class JobOutputView(APIView):
    """The job's streamed text output so far (`output` events joined), as text/plain."""

    renderer_classes = [JSONRenderer, PlainTextRenderer]

    @extend_schema(responses={(200, "text/plain"): OpenApiTypes.STR})
    def get(self, request, job_id):
        job = _job_or_404(request, job_id)
        return HttpResponse(selectors.job_output(job.pk), content_type="text/plain; charset=utf-8")


class _JobActionView(APIView):
    """POST runs one service on the job: 202 with the job, 409 when its status does not allow it."""

    perform = staticmethod(services.job_cancel)

    @extend_schema(request=None, responses={202: JobSerializer, 409: ErrorDetailSerializer})
    def post(self, request, job_id):
        job = _job_or_404(request, job_id)
        try:
            job = self.perform(job=job)
        except services.JobConflict as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class JobCancelView(_JobActionView):
    perform = staticmethod(services.job_cancel)


class JobRetryView(_JobActionView):
    perform = staticmethod(services.job_retry)


class TokenCredentials(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})


class TokenView(APIView):
    """Exchange a username and password for an API token (`Authorization: Token <token>`)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [RedisScopedRateThrottle]
    throttle_scope = "auth_token"

    @extend_schema(request=TokenCredentials,
                   responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}))
    def post(self, request):
        creds = TokenCredentials(data=request.data)
        creds.is_valid(raise_exception=True)
        user = authenticate(request, **creds.validated_data)
        if user is None:
            return Response({"detail": gettext("invalid username or password")}, status=status.HTTP_400_BAD_REQUEST)
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class HealthView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(responses={200: HealthSerializer, 503: HealthSerializer})
    def get(self, request):
        report = health_report()
        healthy = all(value == "ok" for value in report.values())
        return Response(report, status=status.HTTP_200_OK if healthy else status.HTTP_503_SERVICE_UNAVAILABLE)
