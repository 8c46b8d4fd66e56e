from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaConfig(AppConfig):
    name = "apps.media"
    label = "media"
    verbose_name = _("Media generation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register the media kinds (the provider scanner's beat entry is in CELERY_BEAT_SCHEDULE)."""
        from apps.media import kinds  # noqa: F401  (registers media.* kinds)
