from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisionConfig(AppConfig):
    name = "apps.vision"
    label = "vision"
    verbose_name = _("Image analysis")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register `vision.analyze` and listen for finished analyses (Pillow's bomb limit is set
        from VISION_MAX_PIXELS on each open, in apps.vision.images)."""
        from apps.vision import kinds, services  # noqa: F401  (kinds registers the kind)

        services.connect_signals()
