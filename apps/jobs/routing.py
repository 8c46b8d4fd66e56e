from django.urls import path

from apps.jobs.consumers import FeedConsumer, JobConsumer

websocket_urlpatterns = [
    path("ws/jobs/", FeedConsumer.as_asgi()),
    path("ws/jobs/<str:job_id>/", JobConsumer.as_asgi()),
]
