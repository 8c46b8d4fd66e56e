from django.urls import path, re_path

from apps.ops.views import CeleryProgressView, metrics_view

urlpatterns = [
    path("metrics", metrics_view, name="ops-metrics"),
    re_path(r"^celery-progress/(?P<task_id>[\w-]+)/$", CeleryProgressView.as_view(), name="celery-progress"),
]
