from django.urls import re_path

from apps.progress.views import CeleryProgressView

urlpatterns = [
    re_path(r"^celery-progress/(?P<task_id>[\w-]+)/$", CeleryProgressView.as_view(), name="celery-progress"),
]
