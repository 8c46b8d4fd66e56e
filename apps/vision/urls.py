from django.urls import path

from apps.vision import views

urlpatterns = [
    path("api/visual-analysis/comprehensive/", views.ComprehensiveAnalysisView.as_view(),
         name="vision-comprehensive"),
    path("api/visual-analysis/task/<str:task_id>/status/", views.AnalysisStatusView.as_view(),
         name="vision-task-status"),
]
