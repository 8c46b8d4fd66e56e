from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operating Jobcast: metrics, celery-progress compatibility, job-aware logs, live admin (issue 8)."""

    name = "apps.ops"
    label = "ops"
    verbose_name = "Operations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register `ops.celery_task`, connect the Celery/job signals, and put job fields on log lines."""
        from apps.ops import conf, kinds, logs, receivers  # noqa: F401

        receivers.connect()
        logs.install(conf.LOG_FORMAT)
