"""Pages of the browser UI: the live dashboard and one job's page (the data comes from /api/ and /ws/)."""
from django.urls import path

from frontend import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("jobs/<uuid:job_id>/", views.job_page, name="job-page"),
]
