from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MediaConfig(AppConfig):
    name = "apps.media"
    label = "media"
    verbose_name = "Media generation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register the media kinds, the completion e-mail receiver and the scanner's beat entry."""
        from apps.jobs.signals import job_finished
        from apps.media import kinds  # noqa: F401  (registers media.* kinds)
        from apps.media.notifications import on_job_finished
        from apps.media.schedule import provider_scan_schedule_ensure

        job_finished.connect(on_job_finished, dispatch_uid="media.completion_email")
        post_migrate.connect(provider_scan_schedule_ensure, sender=self, dispatch_uid="media.scan_schedule")
