from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MediaConfig(AppConfig):
    name = "apps.media"
    label = "media"
    verbose_name = "Media generation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register the media kinds and the scanner's beat entry."""
        from apps.media import kinds  # noqa: F401  (registers media.* kinds)
        from apps.media.schedule import provider_scan_schedule_ensure

        post_migrate.connect(provider_scan_schedule_ensure, sender=self, dispatch_uid="media.scan_schedule")
