from django.urls import path

from apps.jobs import sse, sse_feed, views

urlpatterns = [
    path("kinds/", views.KindListView.as_view(), name="job-kinds"),
    path("jobs/", views.JobListCreateView.as_view(), name="job-list"),
    path("jobs/stream/", sse_feed.feed_stream, name="job-feed-stream"),  # before jobs/<id>/
    path("jobs/<str:job_id>/", views.JobDetailView.as_view(), name="job-detail"),
    path("jobs/<str:job_id>/events/", views.JobEventsView.as_view(), name="job-events"),
    path("jobs/<str:job_id>/stream/", sse.job_stream, name="job-stream"),
    path("jobs/<str:job_id>/output/", views.JobOutputView.as_view(), name="job-output"),
    path("jobs/<str:job_id>/cancel/", views.JobCancelView.as_view(), name="job-cancel"),
    path("jobs/<str:job_id>/retry/", views.JobRetryView.as_view(), name="job-retry"),
    path("auth/token/", views.TokenView.as_view(), name="auth-token"),
    path("health/", views.HealthView.as_view(), name="health"),
]
