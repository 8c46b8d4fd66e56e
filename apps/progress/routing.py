from django.urls import re_path

from apps.progress.consumers import TaskProgressConsumer

websocket_urlpatterns = [
    re_path(r"^ws/progress/(?P<task_id>[\w-]+)/?$", TaskProgressConsumer.as_asgi()),
]
