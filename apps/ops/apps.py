from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operating Jobcast: metrics, job-aware logs, the `jobcast` command line (issue 8)."""

    name = "apps.ops"
    label = "ops"
    verbose_name = "Operations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Connect the Celery/job signals, and put job fields on log lines."""
        from apps.ops import conf, logs, receivers

        receivers.connect()
        logs.install(conf.LOG_FORMAT)
