"""URL configuration: admin, auth pages, the jobs API, each domain app's own endpoints, the UI."""
from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from frontend.catalog import JobcastCatalog

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    # Languages (issue 17): the header's switcher posts here; the JS modules' catalog.
    path("i18n/setlang/", set_language, name="set_language"),
    path("jsi18n/", JobcastCatalog.as_view(), name="javascript-catalog"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/", include("apps.jobs.urls")),
    # Domain apps keep the endpoints their users already call, so each declares full paths.
    path("", include("apps.ocr.urls")),
    path("", include("apps.vision.urls")),
    path("", include("apps.media.urls")),
    path("", include("apps.testing.urls")),
    path("", include("apps.progress.urls")),  # /celery-progress/<task_id>/
    path("", include("apps.ops.urls")),  # /metrics
    path("", include("frontend.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "project.errors.not_found"
handler500 = "project.errors.server_failure"
