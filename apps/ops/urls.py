from django.urls import path

from apps.ops.views import metrics_view

urlpatterns = [
    path("metrics", metrics_view, name="ops-metrics"),
]
