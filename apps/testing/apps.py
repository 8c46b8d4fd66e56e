from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TestingConfig(AppConfig):
    name = "apps.testing"
    label = "testing"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Web tests and load tests")

    def ready(self) -> None:
        """Register the kinds testing.web and testing.perf (queue "testing")."""
        from apps.testing import kinds  # noqa: F401
