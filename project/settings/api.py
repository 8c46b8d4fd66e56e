"""Django REST framework and the OpenAPI schema."""
from __future__ import annotations

from project.environment import env
from project.settings.base import DEBUG

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.jobs.authentication.PreparedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "DEFAULT_PARSER_CLASSES": [
        "apps.jobs.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "project.openapi.JobcastAutoSchema",
    # Per-user (per-IP for the token endpoint) limits on the two endpoints worth abusing.
    "DEFAULT_THROTTLE_RATES": {
        "job_create": env.str("JOBS_THROTTLE_CREATE", "120/min"),
        "auth_token": env.str("JOBS_THROTTLE_TOKEN", "20/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Jobcast API",
    "DESCRIPTION": "Long background jobs with live progress over WebSockets.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The SSE stream is an async Django view the generator cannot see (apps/jobs/openapi.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "apps.jobs.openapi.add_stream_path",
    ],
}
