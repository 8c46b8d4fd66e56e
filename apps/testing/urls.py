"""The replaced test platform's paths, kept as its users call them (with or without a final slash)."""
from django.urls import path, re_path

from apps.testing import pages, views

urlpatterns = [
    re_path(r"^api/v1/web-test/scripts/?$", views.ScriptListView.as_view(), name="testing-scripts"),
    re_path(r"^api/v1/web-test/scripts/(?P<pk>\d+)/?$", views.ScriptDetailView.as_view(), name="testing-script"),
    re_path(r"^api/v1/web-test/scripts/(?P<pk>\d+)/run/?$", views.ScriptRunView.as_view(), name="testing-script-run"),
    re_path(r"^api/v1/web-test/scripts/(?P<pk>\d+)/status/?$", views.ScriptStatusView.as_view(),
            name="testing-script-status"),
    re_path(r"^api/v1/web-test/scripts/(?P<pk>\d+)/runs/?$", views.ScriptRunsView.as_view(),
            name="testing-script-runs"),
    re_path(r"^api/v1/web-test/scripts/(?P<pk>\d+)/stop/?$", views.ScriptStopView.as_view(),
            name="testing-script-stop"),
    re_path(r"^api/v1/perf-test/scenarios/?$", views.ScenarioListView.as_view(), name="testing-scenarios"),
    re_path(r"^api/v1/perf-test/scenarios/(?P<pk>\d+)/?$", views.ScenarioDetailView.as_view(),
            name="testing-scenario"),
    re_path(r"^api/v1/perf-test/scenarios/(?P<pk>\d+)/run/?$", views.ScenarioRunView.as_view(),
            name="testing-scenario-run"),
    re_path(r"^api/v1/perf-test/scenarios/(?P<pk>\d+)/status/?$", views.ScenarioStatusView.as_view(),
            name="testing-scenario-status"),
    re_path(r"^api/v1/perf-test/scenarios/(?P<pk>\d+)/runs/?$", views.ScenarioRunsView.as_view(),
            name="testing-scenario-runs"),
    re_path(r"^api/v1/perf-test/scenarios/(?P<pk>\d+)/stop/?$", views.ScenarioStopView.as_view(),
            name="testing-scenario-stop"),
]

# The pages (issue 16): Django templates whose modules call the endpoints above.
urlpatterns += [
    path("tests/scripts/", pages.script_list, name="testing-script-list-page"),
    path("tests/scripts/new/", pages.script_new, name="testing-script-new-page"),
    path("tests/scripts/<int:pk>/", pages.script_detail, name="testing-script-page"),
    path("tests/scripts/<int:pk>/edit/", pages.script_edit, name="testing-script-edit-page"),
    path("tests/scenarios/", pages.scenario_list, name="testing-scenario-list-page"),
    path("tests/scenarios/new/", pages.scenario_new, name="testing-scenario-new-page"),
    path("tests/scenarios/<int:pk>/", pages.scenario_detail, name="testing-scenario-page"),
    path("tests/scenarios/<int:pk>/edit/", pages.scenario_edit, name="testing-scenario-edit-page"),
]
