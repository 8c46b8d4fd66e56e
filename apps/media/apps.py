from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "apps.media"
    label = "media"
    verbose_name = "Media generation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register the media kinds and the completion e-mail receiver (beat: CELERY_BEAT_SCHEDULE)."""
        from apps.jobs.signals import job_finished
        from apps.media import kinds  # noqa: F401  (registers media.* kinds)
        from apps.media.notifications import on_job_finished

        job_finished.connect(on_job_finished, dispatch_uid="media.completion_email")
