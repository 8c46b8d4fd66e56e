from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    """celery-progress compatibility: ProgressRecorder, its polling view and WebSocket, the `ops.celery_task` kind."""

    name = "apps.progress"
    label = "progress"
    verbose_name = _("celery-progress compatibility")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register `ops.celery_task` and connect the Celery signals that finish adopted tasks' jobs."""
        from apps.progress import kinds, receivers  # noqa: F401

        receivers.connect()
