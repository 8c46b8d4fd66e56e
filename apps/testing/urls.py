"""The replaced test platform's paths, kept as its users call them (with or without a final slash)."""
from django.urls import re_path

from apps.testing import views

urlpatterns = [
    re_path(r"^api/v1/web-test/scripts/?$", views.ScriptListView.as_view(), name="testing-scripts"),
    re_path(r"^api/v1/web-test/scripts/(?P<pk>\d+)/?$", views.ScriptDetailView.as_view(), name="testing-script"),
    re_path(r"^api/v1/web-test/scripts/(?P<pk>\d+)/run/?$", views.ScriptRunView.as_view(), name="testing-script-run"),
    re_path(r"^api/v1/web-test/scripts/(?P<pk>\d+)/status/?$", views.ScriptStatusView.as_view(),
            name="testing-script-status"),
    re_path(r"^api/v1/web-test/scripts/(?P<pk>\d+)/stop/?$", views.ScriptStopView.as_view(),
            name="testing-script-stop"),
    re_path(r"^api/v1/perf-test/scenarios/?$", views.ScenarioListView.as_view(), name="testing-scenarios"),
    re_path(r"^api/v1/perf-test/scenarios/(?P<pk>\d+)/?$", views.ScenarioDetailView.as_view(),
            name="testing-scenario"),
    re_path(r"^api/v1/perf-test/scenarios/(?P<pk>\d+)/run/?$", views.ScenarioRunView.as_view(),
            name="testing-scenario-run"),
    re_path(r"^api/v1/perf-test/scenarios/(?P<pk>\d+)/status/?$", views.ScenarioStatusView.as_view(),
            name="testing-scenario-status"),
    re_path(r"^api/v1/perf-test/scenarios/(?P<pk>\d+)/stop/?$", views.ScenarioStopView.as_view(),
            name="testing-scenario-stop"),
]
