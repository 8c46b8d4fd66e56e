from django.urls import path

from apps.media import views

urlpatterns = [
    path("api/media/files/<str:job_id>/", views.MediaFileListView.as_view(), name="media-file-list"),
    path("api/media/files/<str:job_id>/<str:name>", views.MediaFileDownloadView.as_view(), name="media-file"),
]
