from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisionConfig(AppConfig):
    name = "apps.vision"
    label = "vision"
    verbose_name = _("Image analysis")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register `vision.analyze`, set Pillow's bomb limit, and listen for finished analyses."""
        from django.conf import settings
        from PIL import Image

        from apps.vision import kinds, services  # noqa: F401  (kinds registers the kind)

        # Pillow warns above MAX_IMAGE_PIXELS and refuses above twice that; the request
        # validation refuses anything above it (apps.vision.images).
        Image.MAX_IMAGE_PIXELS = settings.VISION_MAX_PIXELS
        services.connect_signals()
