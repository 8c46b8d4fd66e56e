"""Endpoints the replaced test platform's users call (docs/api.md). Thin: validate, call, serialize."""
from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from apps.jobs.serializers import ErrorDetailSerializer
from apps.jobs.services import JobConflict
from apps.testing import selectors, services
from apps.testing.serializers import (
    PerfRunItemSerializer,
    PerfRunRequest,
    PerfRunStatusSerializer,
    RunStartedSerializer,
    ScenarioSerializer,
    ScriptSerializer,
    StoredScenarioSerializer,
    StoredScriptSerializer,
    WebRunItemSerializer,
    WebRunRequest,
    WebRunStatusSerializer,
    perf_run_item_payload,
    run_status_payload,
    scenario_payload,
    script_payload,
    web_run_item_payload,
)
from apps.testing.targets import TargetRefused


def _refused(exc: TargetRefused) -> Response:
    return Response({"base_url": [str(exc)]}, status=status.HTTP_400_BAD_REQUEST)


def _started(run) -> Response:
    return Response({"run_id": run.pk, "job_id": str(run.job_id), "status": run.job.status},
                    status=status.HTTP_202_ACCEPTED)


def _stop(run) -> Response:
    if run is None:
        raise Http404("nothing has run yet")
    try:
        run = services.run_stop(run=run)
    except JobConflict as exc:
        return Response({"detail": gettext("the latest run is not running: %(reason)s") % {"reason": exc}}, status=status.HTTP_409_CONFLICT)
    return Response(run_status_payload(run), status=status.HTTP_202_ACCEPTED)


def _status(run) -> Response:
    if run is None:
        raise Http404("nothing has run yet")
    return Response(run_status_payload(run))


class _StoredObjectList(GenericAPIView):
    """List (paginated, newest first) and create; subclasses name the serializer and service."""

    def payload(self, obj) -> dict[str, Any]:
        raise NotImplementedError

    def create(self, data: dict[str, Any]):
        raise NotImplementedError

    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([self.payload(obj) for obj in page])

    def post(self, request):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        return Response(self.payload(self.create(body.validated_data)), status=status.HTTP_201_CREATED)


class _StoredObjectDetail(GenericAPIView):
    """Read, replace (PUT), change (PATCH) and delete one script or scenario."""

    def payload(self, obj) -> dict[str, Any]:
        raise NotImplementedError

    def update(self, obj, data: dict[str, Any]):
        raise NotImplementedError

    def get(self, request, pk: int):
        return Response(self.payload(self.get_object()))

    def put(self, request, pk: int):
        return self._change(request, partial=False)

    def patch(self, request, pk: int):
        return self._change(request, partial=True)

    def delete(self, request, pk: int):
        self.get_object().delete()
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _change(self, request, *, partial: bool) -> Response:
        obj = self.get_object()
        body = self.get_serializer(data=request.data, partial=partial)
        body.is_valid(raise_exception=True)
        return Response(self.payload(self.update(obj, body.validated_data)))


# --- web tests -----------------------------------------------------------------------------------

class _Scripts:
    serializer_class = ScriptSerializer

    def get_queryset(self):
        return selectors.scripts_visible_to(self.request.user).order_by("-created_at", "-id")

    def payload(self, obj):
        return script_payload(obj)


@extend_schema_view(get=extend_schema(responses=StoredScriptSerializer(many=True)),
                    post=extend_schema(responses={201: StoredScriptSerializer}))
class ScriptListView(_Scripts, _StoredObjectList):
    def create(self, data):
        return services.script_create(owner=self.request.user, **data)


@extend_schema_view(get=extend_schema(responses=StoredScriptSerializer),
                    put=extend_schema(responses=StoredScriptSerializer),
                    patch=extend_schema(responses=StoredScriptSerializer))
class ScriptDetailView(_Scripts, _StoredObjectDetail):
    def update(self, obj, data):
        return services.script_update(script=obj, **data)


class ScriptRunView(_Scripts, GenericAPIView):
    @extend_schema(request=WebRunRequest, responses={202: RunStartedSerializer})
    def post(self, request, pk: int):
        script = self.get_object()
        body = WebRunRequest(data=request.data or {})
        body.is_valid(raise_exception=True)
        try:
            run = services.web_run_start(script=script, owner=request.user, **body.validated_data)
        except TargetRefused as exc:
            return _refused(exc)
        return _started(run)


class ScriptStatusView(_Scripts, GenericAPIView):
    @extend_schema(responses={200: WebRunStatusSerializer, 404: ErrorDetailSerializer})
    def get(self, request, pk: int):
        return _status(selectors.web_run_latest(self.get_object()))


class ScriptRunsView(_Scripts, GenericAPIView):
    """The script's runs, newest first, paginated like every list (the script page's runs table)."""

    @extend_schema(responses={200: WebRunItemSerializer(many=True), 404: ErrorDetailSerializer})
    def get(self, request, pk: int):
        page = self.paginate_queryset(selectors.web_runs_of(self.get_object()))
        return self.get_paginated_response([web_run_item_payload(run) for run in page])


class ScriptStopView(_Scripts, GenericAPIView):
    @extend_schema(request=None, responses={202: WebRunStatusSerializer, 404: ErrorDetailSerializer,
                                            409: ErrorDetailSerializer})
    def post(self, request, pk: int):
        return _stop(selectors.web_run_latest(self.get_object()))


# --- load tests ----------------------------------------------------------------------------------

class _Scenarios:
    serializer_class = ScenarioSerializer

    def get_queryset(self):
        return selectors.scenarios_visible_to(self.request.user).order_by("-created_at", "-id")

    def payload(self, obj):
        return scenario_payload(obj)


@extend_schema_view(get=extend_schema(responses=StoredScenarioSerializer(many=True)),
                    post=extend_schema(responses={201: StoredScenarioSerializer}))
class ScenarioListView(_Scenarios, _StoredObjectList):
    def create(self, data):
        return services.scenario_create(owner=self.request.user, **data)


@extend_schema_view(get=extend_schema(responses=StoredScenarioSerializer),
                    put=extend_schema(responses=StoredScenarioSerializer),
                    patch=extend_schema(responses=StoredScenarioSerializer))
class ScenarioDetailView(_Scenarios, _StoredObjectDetail):
    def update(self, obj, data):
        return services.scenario_update(scenario=obj, **data)


class ScenarioRunView(_Scenarios, GenericAPIView):
    @extend_schema(request=PerfRunRequest, responses={202: RunStartedSerializer})
    def post(self, request, pk: int):
        scenario = self.get_object()
        body = PerfRunRequest(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            run = services.perf_run_start(scenario=scenario, owner=request.user, **body.validated_data)
        except TargetRefused as exc:
            return _refused(exc)
        return _started(run)


class ScenarioStatusView(_Scenarios, GenericAPIView):
    @extend_schema(responses={200: PerfRunStatusSerializer, 404: ErrorDetailSerializer})
    def get(self, request, pk: int):
        return _status(selectors.perf_run_latest(self.get_object()))


class ScenarioRunsView(_Scenarios, GenericAPIView):
    @extend_schema(responses={200: PerfRunItemSerializer(many=True), 404: ErrorDetailSerializer})
    def get(self, request, pk: int):
        page = self.paginate_queryset(selectors.perf_runs_of(self.get_object()))
        return self.get_paginated_response([perf_run_item_payload(run) for run in page])


class ScenarioStopView(_Scenarios, GenericAPIView):
    @extend_schema(request=None, responses={202: PerfRunStatusSerializer, 404: ErrorDetailSerializer,
                                            409: ErrorDetailSerializer})
    def post(self, request, pk: int):
        return _stop(selectors.perf_run_latest(self.get_object()))
