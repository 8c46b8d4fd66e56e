from django.apps import AppConfig


class ProgressConfig(AppConfig):
    """celery-progress compatibility: ProgressRecorder, its polling view and WebSocket, the `ops.celery_task` kind."""

    name = "apps.progress"
    label = "progress"
    verbose_name = "celery-progress compatibility"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register `ops.celery_task` and connect the Celery signals that finish adopted tasks' jobs."""
        from apps.progress import kinds, receivers  # noqa: F401

        receivers.connect()
