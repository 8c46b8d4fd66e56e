from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Operating Jobcast: metrics, job-aware logs, the `jobcast` command line (issue 8)."""

    name = "apps.ops"
    label = "ops"
    verbose_name = _("Operations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Connect the Celery/job signals, and put job fields on log lines."""
        from apps.ops import logs, receivers

        receivers.connect()
        logs.install(settings.OPS_LOG_FORMAT)
