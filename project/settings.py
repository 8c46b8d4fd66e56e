"""Jobcast settings: everything comes from the environment (see README's configuration table)."""
from __future__ import annotations

from pathlib import Path

import django
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

from project.env import (
    database_from_url,
    env_bool,
    env_float,
    env_int,
    env_list,
    env_str,
    load_dotenv,
)

BASE_DIR = Path(__file__).resolve().parent.parent
load_dotenv(BASE_DIR / ".env")

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is required unless DJANGO_DEBUG=true "
            "(the run command writes one to .env on first start)"
        )
    SECRET_KEY = "insecure-development-key-only-for-DJANGO_DEBUG"
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_results",
    "django_celery_beat",
    *([] if django.VERSION >= (6, 0) else ["django_tasks"]),  # Django 5.2: the Tasks framework's backport
    "apps.jobs",
    "apps.ocr",
    "apps.vision",
    "apps.media",
    "apps.testing",
    "apps.ops",
    "frontend",
]

MIDDLEWARE = [
    "apps.jobs.middleware.BodySizeLimitMiddleware",
    "apps.jobs.middleware.NulCharacterMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "project.urls"
ASGI_APPLICATION = "asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": database_from_url(env_str("DATABASE_URL", f"sqlite:///{BASE_DIR}/db.sqlite3"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Request bodies: one limit for every endpoint, answered with a JSON 413 (CONTRACT.md).
JOBS_MAX_BODY_BYTES = env_int("JOBS_MAX_BODY_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = JOBS_MAX_BODY_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = JOBS_MAX_BODY_BYTES

# --- Redis, Celery, Channels --------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
CELERY_ENABLED = env_bool("CELERY_ENABLED", True)

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
# Redis brokers use Celery's Redis transport with a fix for broker loss during a job (project/broker.py).
if CELERY_BROKER_URL.startswith("redis://"):
    CELERY_BROKER_TRANSPORT = "project.broker:Transport"
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", "django-db")
CELERY_RESULT_EXTENDED = True
CELERY_CACHE_BACKEND = "django-cache"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TRACK_STARTED = True
CELERY_WORKER_SEND_TASK_EVENTS = True
# No "task-sent" event per submission: it doubled the Redis writes of POST /api/jobs/ and
# Flower shows received/started/succeeded without it (the job's own events say more).
CELERY_TASK_SEND_SENT_EVENT = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_MAX_TASKS_PER_CHILD = env_int("CELERY_WORKER_MAX_TASKS_PER_CHILD", 50) or None
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# A message whose worker died unacknowledged is redelivered after this many seconds. It must
# exceed every kind's hard time limit, or a slow job would run twice (checked at registration).
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 3 * 3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # Job priority 0-9, higher first: Redis emulates priorities with one list per step.
    "priority_steps": list(range(10)),
    "sep": ":",
    "queue_order_strategy": "priority",
    "socket_timeout": 10,
    "socket_connect_timeout": 5,
    "retry_on_timeout": True,
}

# Every queue a kind may use; a worker started without -Q consumes all of them.
JOBS_QUEUES = ["jobs", "maintenance", "ocr", "vision", "media", "media.audio", "media.video",
               "files", "email", "testing"]
CELERY_TASK_DEFAULT_QUEUE = "jobs"
CELERY_TASK_QUEUES = [Queue(name, routing_key=name) for name in JOBS_QUEUES]
CELERY_TASK_ROUTES = {"jobs.reap_stuck_jobs": {"queue": "maintenance"},
                      "jobs.purge_old_events": {"queue": "maintenance"}}

CHANNEL_LAYER_URL = env_str("CHANNEL_LAYER_URL", REDIS_URL)
# One PUBLISH per event and no shared capacity-capped list: the default RedisChannelLayer drops
# events past 100 queued per daphne process and tops out near 1,000/s (DESIGN.md, measured).
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "CONFIG": {"hosts": [CHANNEL_LAYER_URL]},
    }
}

# --- Jobs ---------------------------------------------------------------------------------
JOBS_PROGRESS_MIN_INTERVAL_MS = env_int("JOBS_PROGRESS_MIN_INTERVAL_MS", 100)
JOBS_HEARTBEAT_INTERVAL_S = env_float("JOBS_HEARTBEAT_INTERVAL_S", 5.0)
# A started job whose heartbeat is older than this is failed by the reaper (worker died).
JOBS_HEARTBEAT_TIMEOUT_S = env_float("JOBS_HEARTBEAT_TIMEOUT_S", 120.0)
JOBS_REAPER_INTERVAL_S = env_float("JOBS_REAPER_INTERVAL_S", 30.0)
JOBS_EVENT_RETENTION_DAYS = env_int("JOBS_EVENT_RETENTION_DAYS", 30)
JOBS_INLINE_THREADS = env_int("JOBS_INLINE_THREADS", 4)
JOBS_DEFAULT_SOFT_TIME_LIMIT_S = env_int("JOBS_DEFAULT_SOFT_TIME_LIMIT_S", 300)
JOBS_DEFAULT_TIME_LIMIT_S = env_int("JOBS_DEFAULT_TIME_LIMIT_S", 360)

# Django's Tasks framework (django.tasks; django_tasks on Django 5.2) runs on Jobcast: every
# enqueued task is a job (docs/django-tasks.md). QUEUES are Celery queues ("default" is "jobs").
TASKS = {
    "default": {
        "BACKEND": "apps.jobs.tasks_backend.JobcastBackend",
        "QUEUES": ["default", *JOBS_QUEUES],
        "OPTIONS": {"max_attempts": 3, "retry_backoff": 1.0, "retry_backoff_max": 60.0},
    }
}

CELERY_BEAT_SCHEDULE = {
    "jobs.reap_stuck_jobs": {"task": "jobs.reap_stuck_jobs", "schedule": JOBS_REAPER_INTERVAL_S},
    "jobs.purge_old_events": {"task": "jobs.purge_old_events", "schedule": 3600.0},
}

# --- REST ---------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
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
        "job_create": env_str("JOBS_THROTTLE_CREATE", "120/min"),
        "auth_token": env_str("JOBS_THROTTLE_TOKEN", "20/min"),
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
}

# Shared by every web process (throttle counters must be), in Redis DB of REDIS_URL.
CACHES = {"default": {"BACKEND": "project.cache.SharedPoolRedisCache",
                      "LOCATION": env_str("CACHE_URL", REDIS_URL),
                      "KEY_PREFIX": "jobcast-cache",
                      "OPTIONS": {"socket_timeout": 2, "socket_connect_timeout": 2}}}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "jobcast@localhost")

# Production hardening (`manage.py check --deploy`); behind a TLS proxy set DJANGO_SECURE=true.
if env_bool("DJANGO_SECURE", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.channels.server": {"level": "WARNING"}},
}
